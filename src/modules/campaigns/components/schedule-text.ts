"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { CampaignSchedule } from "../campaign-definition";

/**
 * A wall-clock "2026-12-24T09:30" (already in the workspace's time zone) formatted as it
 * is: read as UTC and printed in UTC, so the browser's own zone never shifts it.
 */
export function useWallClockText() {
  const format = useFormatter();
  return (wall: string) =>
    format.dateTime(new Date(`${wall}:00Z`), {
      timeZone: "UTC",
      dateStyle: "medium",
      timeStyle: "short",
    });
}

/** "En el momento", "El 24 dic 2026, 09:30", "Recurrente: 0 9 * * 1-5". */
export function useScheduleText() {
  const t = useTranslations("campaigns.schedule");
  const wallClock = useWallClockText();
  return (schedule: CampaignSchedule) =>
    schedule.type === "now"
      ? t("now")
      : schedule.type === "at"
        ? t("at", { date: wallClock(schedule.at) })
        : t("cron", { cron: schedule.cron });
}
