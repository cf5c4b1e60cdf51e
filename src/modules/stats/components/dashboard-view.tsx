"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { BotsBar, ErrorsBar, GroupsDoughnut, MonthlyTrend } from "./breakdown-charts";
import { DashboardFiltersBar } from "./dashboard-filters-bar";
import { KpiCards } from "./kpi-cards";
import { TasksCard } from "./tasks-card";
import { TimelineChart } from "./timeline-chart";
import { TopContactsTable } from "./top-contacts-table";
import { daysBetween, MAX_HOURLY_DAYS } from "../stats.schema";
import { useDashboardFilters } from "./use-dashboard-filters";

/** The dashboard: KPIs, then the filtered charts and tables, then the monthly trend. */
export function DashboardView() {
  const t = useTranslations("stats");
  const trpc = useTRPC();
  const { filters: asked, update } = useDashboardFilters();
  // An hourly timeline over more than a month would be unreadable (and is refused): use days.
  const filters =
    asked.bucket === "hour" && daysBetween(asked.from, asked.to) > MAX_HOURLY_DAYS
      ? { ...asked, bucket: "day" as const }
      : asked;
  const { preset: _preset, bucket: _bucket, ...range } = filters;
  const summary = useQuery({ ...trpc.stats.summary.queryOptions(range), refetchInterval: 5_000 });

  return (
    <div className="space-y-6">
      <KpiCards />
      <DashboardFiltersBar filters={filters} update={update} />
      <p className="text-sm text-muted-foreground" aria-live="polite" data-testid="range-summary">
        {summary.data
          ? t("rangeSummary", {
              from: filters.from,
              to: filters.to,
              sent: summary.data.sent,
              failed: summary.data.failed,
            })
          : " "}
      </p>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <TimelineChart filters={filters} />
        <GroupsDoughnut filters={filters} />
        <ErrorsBar filters={filters} />
        <BotsBar />
        <TasksCard filters={filters} />
        <MonthlyTrend />
        <TopContactsTable groupId={filters.groupId} from={filters.from} to={filters.to} />
      </div>
    </div>
  );
}
