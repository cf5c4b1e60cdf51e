"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Line } from "react-chartjs-2";
import { useTRPC } from "@/lib/trpc/client";
import { baseOptions, legendText, useChartColors } from "./chart-theme";
import { ChartCard, PanelEmpty, retryIfFailed } from "./chart-card";
import { CsvDownload } from "./csv-download";
import type { DashboardFilters } from "./use-dashboard-filters";

const SERIES = ["sent", "delivered", "read", "failed"] as const;

/** Sent, delivered, read and failed per hour, day or month of the chosen range. */
export function TimelineChart({ filters }: { filters: DashboardFilters }) {
  const t = useTranslations("stats");
  const trpc = useTRPC();
  const colors = useChartColors();
  const { preset: _preset, ...input } = filters;
  const query = useQuery({
    ...trpc.stats.timeline.queryOptions(input),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
  const { data, isPending } = query;
  const points = data?.points ?? [];
  const empty = points.every((p) => SERIES.every((s) => p[s] === 0));
  return (
    <ChartCard
      title={t("timeline.title")}
      description={t("timeline.body", { bucket: filters.bucket })}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      className="lg:col-span-2"
      testId="chart-timeline"
      empty={empty ? <PanelEmpty text={t("timeline.empty")} /> : undefined}
      actions={
        <CsvDownload
          fileName={`timeline-${filters.from}-${filters.to}.csv`}
          header={[t("csvHeader.at"), ...SERIES.map((s) => t(`status.${s}`))]}
          rows={points.map((p) => [p.at, ...SERIES.map((s) => p[s])])}
        />
      }
    >
      <Line
        aria-label={t("timeline.title")}
        role="img"
        fallbackContent={legendText(SERIES.map((s) => t(`status.${s}`)))}
        data={{
          labels: points.map((p) => p.at),
          datasets: SERIES.map((s) => ({
            label: t(`status.${s}`),
            data: points.map((p) => p[s]),
            borderColor: colors[s],
            backgroundColor: colors[s],
            pointRadius: points.length > 60 ? 0 : 2,
            tension: 0.2,
          })),
        }}
        options={baseOptions(colors)}
      />
    </ChartCard>
  );
}
