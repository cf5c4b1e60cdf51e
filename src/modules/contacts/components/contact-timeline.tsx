"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import type { TimelineEntry } from "../contact-timeline.schema";

type Change = { field: string; from: unknown; to: unknown };

/** A changed value as text: objects (attributes) as `key: value` pairs, nothing as "(empty)". */
function valueText(v: unknown, empty: string): string {
  if (v === null || v === undefined || v === "") return empty;
  if (Array.isArray(v)) return v.join(", ") || empty;
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${x ?? empty}`)
      .join(", ");
  }
  return String(v);
}

/** The contact's history, newest first (contacts.timeline). */
export function ContactTimeline({ id }: { id: string }) {
  const d = useTranslations("contacts.detail");
  const audit = useTranslations("audit");
  const format = useFormatter();
  const trpc = useTRPC();
  const timeline = useQuery(trpc.contacts.timeline.queryOptions({ id }));
  const label = (action: string) => {
    const key = `actionLabels.${action}` as Parameters<typeof audit>[0];
    return audit.has(key) ? audit(key) : action;
  };
  const changes = (list: Change[]) =>
    list.length > 0 && (
      <ul className="mt-1 space-y-0.5 text-muted-foreground">
        {list.map((c) => (
          <li key={c.field} className="break-words">
            {d("change", {
              field: c.field,
              from: valueText(c.from, d("empty")),
              to: valueText(c.to, d("empty")),
            })}
          </li>
        ))}
      </ul>
    );
  const title = (e: TimelineEntry) =>
    e.kind === "audit"
      ? label(e.action)
      : e.kind === "import"
        ? d("importChanged", { file: e.fileName })
        : d("imported", { file: e.fileName });

  if (!timeline.data) return null;
  if (timeline.data.length === 0) {
    return <p className="text-sm text-muted-foreground">{d("noTimeline")}</p>;
  }
  return (
    <ol className="space-y-3 border-l pl-4 text-sm" aria-label={d("timeline")}>
      {timeline.data.map((e, i) => (
        <li key={i} className="relative">
          <span
            aria-hidden
            className="absolute top-1.5 -left-[21px] size-2.5 rounded-full border-2 border-background bg-primary"
          />
          <p>
            <span className="font-medium">{title(e)}</span>{" "}
            <time className="text-muted-foreground" dateTime={e.at.toISOString()}>
              {format.dateTime(e.at, { dateStyle: "medium", timeStyle: "short" })}
            </time>
            {e.kind === "audit" && e.actor && (
              <span className="text-muted-foreground"> · {d("by", { actor: e.actor })}</span>
            )}
          </p>
          {e.kind === "audit" && e.reason && <p>{e.reason}</p>}
          {e.kind !== "imported" && changes(e.changes.filter((c) => c.field !== "reason"))}
        </li>
      ))}
    </ol>
  );
}
