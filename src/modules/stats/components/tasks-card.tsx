"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Bar, Doughnut } from "react-chartjs-2";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { baseOptions, legendText, useChartColors } from "./chart-theme";
import { ChartCard, PanelEmpty, retryIfFailed } from "./chart-card";
import { CsvDownload } from "./csv-download";
import type { DashboardFilters } from "./use-dashboard-filters";

const STATUSES = [
  "pending",
  "leased",
  "running",
  "succeeded",
  "failed",
  "timedOut",
  "canceled",
] as const;
const DAILY = ["succeeded", "failed", "timedOut"] as const;

/**
 * Bot tasks over the range (and the chosen bot): open now and final outcomes by status,
 * outcomes per day, and per action with its success rate and mean duration.
 */
export function TasksCard({ filters }: { filters: DashboardFilters }) {
  const t = useTranslations("stats");
  const format = useFormatter();
  const trpc = useTRPC();
  const colors = useChartColors();
  const { from, to, botId } = filters;
  const query = useQuery({
    ...trpc.stats.tasks.queryOptions({ from, to, botId }),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
  const { data, isPending } = query;
  const counts = data ? { ...data.open, ...data.finished } : null;
  const empty = !counts || STATUSES.every((s) => counts[s] === 0);
  const statusColor = {
    pending: colors.series[3]!,
    leased: colors.series[4]!,
    running: colors.sent,
    succeeded: colors.read,
    failed: colors.failed,
    timedOut: colors.series[2]!,
    canceled: colors.text,
  };
  const seconds = (ms: number | null) =>
    ms === null
      ? "—"
      : format.number(ms / 1000, { style: "unit", unit: "second", maximumFractionDigits: 1 });
  const percent = (v: number | null) =>
    v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 1 });
  const actionRate = (r: { succeeded: number; failed: number; timedOut: number }) => {
    const settled = r.succeeded + r.failed + r.timedOut;
    return settled === 0 ? null : r.succeeded / settled;
  };
  const shown = STATUSES.filter((s) => (counts?.[s] ?? 0) > 0);
  const actions = data?.byAction ?? [];
  return (
    <ChartCard
      title={t("tasks.title")}
      description={
        data && data.successRate !== null
          ? t("tasks.bodyRate", { rate: percent(data.successRate) })
          : t("tasks.body")
      }
      loading={isPending}
      onRetry={retryIfFailed(query)}
      className="lg:col-span-3"
      // The empty note fills a fixed height like the other panels'; the charts grow as needed.
      bodyClassName={empty && !isPending ? "h-40" : "min-h-64"}
      testId="chart-tasks"
      empty={empty ? <PanelEmpty text={t("tasks.empty")} /> : undefined}
      actions={
        <CsvDownload
          fileName={`tasks-by-action-${from}-${to}.csv`}
          header={[
            t("tasks.action"),
            ...(["succeeded", "failed", "timedOut", "canceled"] as const).map((s) =>
              t(`tasks.status.${s}`),
            ),
            t("tasks.avgMs"),
          ]}
          rows={actions.map((r) => [
            r.action,
            r.succeeded,
            r.failed,
            r.timedOut,
            r.canceled,
            r.avgMs === null ? null : Math.round(r.avgMs),
          ])}
        />
      }
    >
      <div className="grid gap-4 md:grid-cols-3">
        <div className="relative h-56" data-testid="tasks-by-status">
          <Doughnut
            aria-label={t("tasks.byStatus")}
            role="img"
            fallbackContent={legendText(shown.map((s) => t(`tasks.status.${s}`)))}
            data={{
              labels: shown.map((s) => t(`tasks.status.${s}`)),
              datasets: [
                {
                  label: t("tasks.byStatus"),
                  data: shown.map((s) => counts?.[s] ?? 0),
                  backgroundColor: shown.map((s) => statusColor[s]),
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
        </div>
        <div className="relative h-56" data-testid="tasks-by-day">
          <Bar
            aria-label={t("tasks.byDay")}
            role="img"
            fallbackContent={legendText(DAILY.map((s) => t(`tasks.status.${s}`)))}
            data={{
              labels: (data?.days ?? []).map((d) => d.day),
              datasets: DAILY.map((s) => ({
                label: t(`tasks.status.${s}`),
                data: (data?.days ?? []).map((d) => d[s]),
                backgroundColor: statusColor[s],
              })),
            }}
            options={{
              ...baseOptions(colors),
              scales: {
                x: { ...baseOptions(colors).scales.x, stacked: true },
                y: { ...baseOptions(colors).scales.y, stacked: true },
              },
            }}
          />
        </div>
        <div
          className="max-h-56 overflow-auto"
          role="region"
          aria-label={t("tasks.byAction")}
          tabIndex={0}
        >
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{t("tasks.action")}</TableHead>
                <TableHead className="text-right">{t("tasks.rate")}</TableHead>
                <TableHead className="text-right">{t("tasks.outcomes")}</TableHead>
                <TableHead className="text-right">{t("tasks.avg")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {actions.map((r) => (
                <TableRow key={r.action}>
                  <TableCell className="max-w-40 truncate font-medium" title={r.action}>
                    {r.action}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {percent(actionRate(r))}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {format.number(r.succeeded + r.failed + r.timedOut + r.canceled)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{seconds(r.avgMs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {actions.length === 0 && (
            <p className="p-2 text-sm text-muted-foreground">{t("tasks.noneFinished")}</p>
          )}
        </div>
      </div>
    </ChartCard>
  );
}
