"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import type { TimelineEntry } from "../contact-timeline.schema";

type Change = { field: string; from: unknown; to: unknown };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Opt-outs and opt-ins read from their title and reason: their fields add nothing. */
const SELF_EXPLAINING = new Set(["contact.opted_out", "contact.opted_in"]);
const FIELD_LABELS = {
  phone: "phone",
  nombre: "nombre",
  sustantivo: "sustantivo",
  attributes: "attributes",
  groups: "groups",
  optInSource: "optInSource",
  optInAt: "optInAt",
  source: "source",
  optedOutAt: "optedOutAtField",
  optOutReason: "optOutReasonField",
} as const;

const isEmpty = (v: unknown) => v === null || v === undefined || v === "";

/** A changed value as text: objects (attributes) as `key: value` pairs, nothing as "(empty)". */
function valueText(v: unknown, empty: string, date: (d: Date) => string): string {
  if (isEmpty(v)) return empty;
  if (typeof v === "string" && ISO_DATE.test(v)) return date(new Date(v));
  if (Array.isArray(v)) return v.join(", ") || empty;
  if (typeof v === "object") {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${isEmpty(x) ? empty : String(x)}`)
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
  const date = (v: Date) => format.dateTime(v, { dateStyle: "medium", timeStyle: "short" });
  const fieldLabel = (field: string) =>
    field in FIELD_LABELS ? d(FIELD_LABELS[field as keyof typeof FIELD_LABELS]) : field;
  const changes = (list: Change[]) => {
    const shown = list.filter((c) => !(isEmpty(c.from) && isEmpty(c.to)));
    return (
      shown.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-muted-foreground">
          {shown.map((c) => (
            <li key={c.field} className="break-words">
              {d("change", {
                field: fieldLabel(c.field),
                from: valueText(c.from, d("empty"), date),
                to: valueText(c.to, d("empty"), date),
              })}
            </li>
          ))}
        </ul>
      )
    );
  };
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
              {date(e.at)}
            </time>
            {e.kind === "audit" && e.actor && (
              <span className="text-muted-foreground"> · {d("by", { actor: e.actor })}</span>
            )}
          </p>
          {e.kind === "audit" && e.reason && <p>{e.reason}</p>}
          {e.kind === "import" && changes(e.changes)}
          {e.kind === "audit" && !SELF_EXPLAINING.has(e.action) && changes(e.changes)}
        </li>
      ))}
    </ol>
  );
}
