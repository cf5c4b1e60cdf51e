"use client";

import { useTimeZone } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { PERIOD_PRESETS, todayIn } from "../calendar";
import { daysBetween, localDay, MAX_RANGE_DAYS } from "../stats.schema";

export const PRESETS = [
  ...(Object.keys(PERIOD_PRESETS) as (keyof typeof PERIOD_PRESETS)[]),
  "custom",
] as const;
export type Preset = (typeof PRESETS)[number];
export type Bucket = "hour" | "day" | "month";

export type DashboardFilters = {
  preset: Preset;
  from: string;
  to: string;
  bucket: Bucket;
  groupId?: string;
  campaignId?: string;
  botId?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function presetRange(preset: Exclude<Preset, "custom">, today: string) {
  return { from: PERIOD_PRESETS[preset](today), to: today };
}

/** The finest bucket that keeps a timeline readable for the range. */
export function defaultBucket(from: string, to: string): Bucket {
  const days = daysBetween(from, to);
  return days <= 2 ? "hour" : days <= 92 ? "day" : "month";
}

/** The workspace's local day, moving on at its midnight while the page stays open. */
function useToday(timeZone: string) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return todayIn(timeZone, now);
}

/**
 * The dashboard's filters, kept in the URL (`?range=7d&group=…`) so a view can be shared and
 * survives a reload; changing one replaces the URL without a navigation.
 */
export function useDashboardFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const timeZone = useTimeZone() ?? "UTC";
  const today = useToday(timeZone);

  const filters = useMemo<DashboardFilters>(() => {
    const asked = params.get("range");
    const preset: Preset = PRESETS.includes(asked as Preset) ? (asked as Preset) : "30d";
    let range = preset === "custom" ? null : presetRange(preset, today);
    if (!range) {
      const from = params.get("from") ?? "";
      const to = params.get("to") ?? "";
      const valid =
        // The server's own day rule (a day that exists, e.g. no 31 February).
        localDay.safeParse(from).success &&
        localDay.safeParse(to).success &&
        daysBetween(from, to) >= 1 &&
        daysBetween(from, to) <= MAX_RANGE_DAYS;
      range = valid ? { from, to } : presetRange("30d", today);
    }
    const bucket = params.get("bucket");
    const id = (name: string) => {
      const v = params.get(name);
      return v && UUID.test(v) ? v : undefined;
    };
    return {
      preset,
      ...range,
      bucket:
        bucket === "hour" || bucket === "day" || bucket === "month"
          ? bucket
          : defaultBucket(range.from, range.to),
      groupId: id("group"),
      campaignId: id("campaign"),
      botId: id("bot"),
    };
  }, [params, today]);

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  return { filters, update };
}
