"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Bar, Doughnut } from "react-chartjs-2";
import { useTRPC } from "@/lib/trpc/client";
import { baseOptions, legendText, useChartColors } from "./chart-theme";
import { ChartCard, PanelEmpty, retryIfFailed, useReasonLabel } from "./chart-card";
import { CsvDownload } from "./csv-download";
import type { DashboardFilters } from "./use-dashboard-filters";

const TOP = 8;

/** Sends by group over the range (the rest folded into "other groups"). */
export function GroupsDoughnut({ filters }: { filters: DashboardFilters }) {
  const t = useTranslations("stats");
  const trpc = useTRPC();
  const colors = useChartColors();
  const { from, to, groupId, campaignId, botId } = filters;
  const query = useQuery({
    ...trpc.stats.byGroup.queryOptions({ from, to, groupId, campaignId, botId }),
    placeholderData: keepPreviousData,
  });
  const { data, isPending } = query;
  const rows = (data ?? []).filter((r) => r.sent > 0);
  const top = rows.slice(0, TOP);
  const rest = rows.slice(TOP).reduce((a, r) => a + r.sent, 0);
  const labels = [
    ...top.map((r) => r.name ?? t("noGroup")),
    ...(rest > 0 ? [t("otherGroups")] : []),
  ];
  return (
    <ChartCard
      title={t("groups.title")}
      description={t("groups.body")}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      testId="chart-groups"
      empty={rows.length === 0 ? <PanelEmpty text={t("groups.empty")} /> : undefined}
      actions={
        <CsvDownload
          fileName={`groups-${from}-${to}.csv`}
          header={[t("csvHeader.group"), t("status.sent"), t("status.failed")]}
          rows={(data ?? []).map((r) => [r.name ?? t("noGroup"), r.sent, r.failed])}
        />
      }
    >
      <Doughnut
        aria-label={t("groups.title")}
        role="img"
        fallbackContent={legendText(labels)}
        data={{
          labels,
          datasets: [
            {
              label: t("status.sent"),
              data: [...top.map((r) => r.sent), ...(rest > 0 ? [rest] : [])],
              backgroundColor: labels.map((_, i) => colors.series[i % colors.series.length]!),
              borderColor: colors.grid,
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "right", labels: { color: colors.text } } },
        }}
      />
    </ChartCard>
  );
}

/** Failures by reason over the last 7 days. */
export function ErrorsBar({ filters }: { filters: DashboardFilters }) {
  const t = useTranslations("stats");
  const reasonLabel = useReasonLabel();
  const trpc = useTRPC();
  const colors = useChartColors();
  const { groupId, campaignId, botId } = filters;
  const query = useQuery({
    ...trpc.stats.errors.queryOptions({ days: 7, groupId, campaignId, botId }),
    placeholderData: keepPreviousData,
  });
  const { data, isPending } = query;
  const rows = data ?? [];
  return (
    <ChartCard
      title={t("errors.title")}
      description={t("errors.body")}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      testId="chart-errors"
      empty={rows.length === 0 ? <PanelEmpty text={t("errors.empty")} /> : undefined}
      actions={
        <CsvDownload
          fileName="failures-7d.csv"
          header={[t("csvHeader.reason"), t("status.failed")]}
          rows={rows.map((r) => [reasonLabel(r.code), r.failed])}
        />
      }
    >
      <Bar
        aria-label={t("errors.title")}
        role="img"
        fallbackContent={legendText(rows.slice(0, 10).map((r) => reasonLabel(r.code)))}
        data={{
          labels: rows.slice(0, 10).map((r) => reasonLabel(r.code)),
          datasets: [
            {
              label: t("status.failed"),
              data: rows.slice(0, 10).map((r) => r.failed),
              backgroundColor: colors.failed,
            },
          ],
        }}
        options={{ ...baseOptions(colors), indexAxis: "y" as const }}
      />
    </ChartCard>
  );
}

/** The bots that sent most in the last 24 hours. */
export function BotsBar() {
  const t = useTranslations("stats");
  const trpc = useTRPC();
  const colors = useChartColors();
  const query = useQuery({
    ...trpc.stats.byBot.queryOptions({ hours: 24 }),
    refetchInterval: 5_000,
  });
  const { data, isPending } = query;
  const rows = (data ?? []).slice(0, TOP);
  return (
    <ChartCard
      title={t("bots.title")}
      description={t("bots.body")}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      className="lg:col-span-2"
      testId="chart-bots"
      empty={rows.length === 0 ? <PanelEmpty text={t("bots.empty")} /> : undefined}
      actions={
        <CsvDownload
          fileName="bots-24h.csv"
          header={[t("csvHeader.bot"), t("status.sent"), t("status.failed")]}
          rows={(data ?? []).map((r) => [r.name ?? r.id, r.sent, r.failed])}
        />
      }
    >
      <Bar
        aria-label={t("bots.title")}
        role="img"
        fallbackContent={legendText([t("status.sent"), t("status.failed")])}
        data={{
          labels: rows.map((r) => r.name ?? t("unknownBot")),
          datasets: [
            {
              label: t("status.sent"),
              data: rows.map((r) => r.sent),
              backgroundColor: colors.sent,
            },
            {
              label: t("status.failed"),
              data: rows.map((r) => r.failed),
              backgroundColor: colors.failed,
            },
          ],
        }}
        options={baseOptions(colors)}
      />
    </ChartCard>
  );
}

/** The last 12 months, sent against failed. */
export function MonthlyTrend() {
  const t = useTranslations("stats");
  const trpc = useTRPC();
  const colors = useChartColors();
  const query = useQuery(trpc.stats.monthly.queryOptions({ months: 12 }));
  const { data, isPending } = query;
  const points = data ?? [];
  return (
    <ChartCard
      title={t("monthly.title")}
      description={t("monthly.body")}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      className="lg:col-span-3"
      testId="chart-monthly"
      empty={
        points.every((p) => p.sent + p.failed === 0) ? (
          <PanelEmpty text={t("monthly.empty")} />
        ) : undefined
      }
      actions={
        <CsvDownload
          fileName="monthly.csv"
          header={[
            t("csvHeader.month"),
            t("status.sent"),
            t("status.delivered"),
            t("status.read"),
            t("status.failed"),
          ]}
          rows={points.map((p) => [p.at, p.sent, p.delivered, p.read, p.failed])}
        />
      }
    >
      <Bar
        aria-label={t("monthly.title")}
        role="img"
        fallbackContent={legendText([t("status.sent"), t("status.failed")])}
        data={{
          labels: points.map((p) => p.at),
          datasets: [
            {
              label: t("status.sent"),
              data: points.map((p) => p.sent),
              backgroundColor: colors.sent,
            },
            {
              label: t("status.failed"),
              data: points.map((p) => p.failed),
              backgroundColor: colors.failed,
            },
          ],
        }}
        options={baseOptions(colors)}
      />
    </ChartCard>
  );
}
