"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, type ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { SEND_MESSAGE } from "../tasks.schema";

type Bot = { id: string; name: string };

/** What a task form (a new task, or a schedule's task template) collects. */
export type TaskSpec = {
  botId: string;
  action: string;
  payload: Record<string, unknown>;
  priority: number;
  timeoutSeconds: number;
  maxAttempts: number;
};

const selectClass = "h-9 rounded-md border bg-transparent px-3 text-sm";

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text || "{}") as unknown;
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The fields of `TaskSpecFields` from a submitted form; null when the payload is not a JSON object. */
export function readTaskSpec(data: FormData): TaskSpec | null {
  const payload = parseJsonObject(String(data.get("payload") ?? ""));
  if (!payload) return null;
  return {
    botId: String(data.get("botId")),
    action: String(data.get("action")),
    payload,
    priority: Number(data.get("priority") || 0),
    timeoutSeconds: Number(data.get("timeoutSeconds") || 300),
    maxAttempts: Number(data.get("maxAttempts") || 3),
  };
}

/**
 * Agent bot, action (built-in and the workspace's own), JSON payload, priority, timeout and
 * attempts — uncontrolled inputs read back with `readTaskSpec`. The server checks the payload
 * against the action's schema.
 */
export function TaskSpecFields({
  bots,
  initial,
  payloadLabel,
  payloadHint,
}: {
  bots: Bot[];
  initial?: Partial<TaskSpec>;
  payloadLabel: string;
  payloadHint: ReactNode;
}) {
  const t = useTranslations("tasks.form");
  const trpc = useTRPC();
  const id = useId();
  const actions = useQuery(trpc.tasks.actions.queryOptions());
  const names = [SEND_MESSAGE, ...(actions.data ?? []).map((a) => a.name)];
  const number = (name: keyof TaskSpec, min: number, max: number, value: number) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`${id}-${name}`}>{t(name)}</Label>
      <Input
        id={`${id}-${name}`}
        name={name}
        type="number"
        min={min}
        max={max}
        defaultValue={value}
      />
    </div>
  );
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-bot`}>{t("bot")}</Label>
          <select
            id={`${id}-bot`}
            name="botId"
            className={selectClass}
            defaultValue={initial?.botId}
          >
            {bots.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-action`}>{t("action")}</Label>
          <select
            id={`${id}-action`}
            name="action"
            className={`${selectClass} font-mono`}
            defaultValue={initial?.action ?? names.at(-1)}
            // Re-mounted when the workspace's actions arrive, so the default can be one of them.
            key={names.length}
          >
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-payload`}>{payloadLabel}</Label>
        <Textarea
          id={`${id}-payload`}
          name="payload"
          className="min-h-24 font-mono text-xs"
          defaultValue={JSON.stringify(initial?.payload ?? {}, null, 2)}
          aria-describedby={`${id}-payload-hint`}
        />
        <p id={`${id}-payload-hint`} className="text-xs text-muted-foreground">
          {payloadHint}
        </p>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        {number("priority", -100, 100, initial?.priority ?? 0)}
        {number("timeoutSeconds", 1, 86_400, initial?.timeoutSeconds ?? 300)}
        {number("maxAttempts", 1, 20, initial?.maxAttempts ?? 3)}
      </div>
    </>
  );
}
