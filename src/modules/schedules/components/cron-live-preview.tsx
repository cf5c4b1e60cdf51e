"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { toLocale } from "@/i18n/locales";
import { cronProblem, describeCron, isTimeZone, nextRuns } from "../cron-preview";

/**
 * What a cron expression means while it is typed: the reader's-language text and the next
 * runs in the chosen zone, or why it cannot be read (in the reader's language).
 */
export function CronLivePreview({
  id,
  cron,
  timeZone,
}: {
  id: string;
  cron: string;
  timeZone: string;
}) {
  const t = useTranslations("schedules.form");
  const errors = useTranslations("errors");
  const locale = toLocale(useLocale());
  const format = useFormatter();
  const problem = cronProblem(cron) ?? (isTimeZone(timeZone) ? null : "schedule.timeZoneInvalid");

  if (problem) {
    return (
      <p id={id} role="alert" className="text-sm text-destructive">
        {errors(problem)}
      </p>
    );
  }
  const runs = nextRuns(cron, timeZone);
  return (
    <div id={id} aria-live="polite" className="rounded-md border bg-muted/40 p-3 text-sm">
      <p className="font-medium" data-testid="cron-description">
        {describeCron(cron, locale)}
      </p>
      <p className="mt-2 text-xs text-muted-foreground">{t("preview")}</p>
      <ul className="mt-1 space-y-0.5 tabular-nums" data-testid="cron-next-runs">
        {runs.map((run) => (
          <li key={run.toISOString()}>
            {format.dateTime(run, { dateStyle: "medium", timeStyle: "short", timeZone })}
          </li>
        ))}
      </ul>
    </div>
  );
}
