"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, Printer } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Bar, Line } from "react-chartjs-2";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { baseOptions, legendText, useChartColors } from "./chart-theme";
import { ChartCard, PanelEmpty, useReasonLabel } from "./chart-card";
import { CsvDownload } from "./csv-download";

const SERIES = ["sent", "delivered", "read", "failed"] as const;

// Printing shows the report alone: the app's navigation and buttons stay on screen.
const PRINT_CSS = `@media print {
  body * { visibility: hidden; }
  #campaign-report, #campaign-report * { visibility: visible; }
  #campaign-report { position: absolute; inset: 0 auto auto 0; width: 100%; }
  #campaign-report [data-print="hide"] { display: none; }
}`;

/** A campaign's report: funnel, failures by reason, timeline; CSV and print. */
export function CampaignReport({ campaignId }: { campaignId: string }) {
  const t = useTranslations("stats");
  const reasonLabel = useReasonLabel();
  const format = useFormatter();
  const trpc = useTRPC();
  const colors = useChartColors();
  const { errorMessage } = useErrorMessage();
  const report = useQuery({
    ...trpc.stats.campaignReport.queryOptions({ campaignId }),
    refetchInterval: 5_000,
  });
  const back = (
    <Button variant="ghost" size="sm" asChild>
      <Link href={`/campaigns/${campaignId}`}>
        <ArrowLeft aria-hidden />
        {t("report.back")}
      </Link>
    </Button>
  );
  if (report.isError)
    return (
      <EmptyState
        title={t("report.notFound")}
        description={errorMessage(report.error)}
        action={back}
      />
    );
  const data = report.data;
  if (!data) {
    return (
      <div className="grid gap-4" aria-busy>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  const funnel = [
    { key: "audience", n: data.audience },
    { key: "sent", n: data.totals.sent },
    { key: "delivered", n: data.totals.delivered },
    { key: "read", n: data.totals.read },
  ] as const;
  const share = (n: number) =>
    data.audience === 0
      ? "—"
      : format.number(n / data.audience, { style: "percent", maximumFractionDigits: 1 });
  const points = data.timeline.points;
  return (
    <div id="campaign-report" className="flex flex-col gap-4">
      <style>{PRINT_CSS}</style>
      <div className="flex flex-wrap items-center justify-between gap-2" data-print="hide">
        {back}
        <div className="flex gap-2">
          <CsvDownload
            fileName={`campaign-${data.id}-report.csv`}
            header={[t("csvHeader.at"), ...SERIES.map((s) => t(`status.${s}`))]}
            rows={points.map((p) => [p.at, ...SERIES.map((s) => p[s])])}
          />
          <Button variant="outline" size="sm" onClick={() => window.print()}>
            <Printer aria-hidden />
            {t("report.print")}
          </Button>
        </div>
      </div>
      <header className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words">
          {t("report.title", { name: data.name })}
        </h1>
        <p className="text-sm text-muted-foreground">
          {data.launchedAt
            ? t("report.launched", {
                date: format.dateTime(data.launchedAt, { dateStyle: "medium", timeStyle: "short" }),
              })
            : t("report.notLaunched")}
        </p>
      </header>
      <section
        aria-label={t("report.funnel")}
        className="grid grid-cols-2 gap-3 md:grid-cols-4"
        data-testid="report-funnel"
      >
        {funnel.map((f) => (
          <div key={f.key} className="rounded-lg border p-4">
            <p className="text-sm text-muted-foreground">{t(`report.stage.${f.key}`)}</p>
            <p className="text-2xl font-semibold tabular-nums">{format.number(f.n)}</p>
            <p className="text-xs text-muted-foreground">
              {f.key === "audience" ? " " : share(f.n)}
            </p>
          </div>
        ))}
      </section>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <ChartCard
          title={t("timeline.title")}
          description={t("timeline.body", { bucket: data.timeline.bucket })}
          loading={false}
          className="lg:col-span-2"
          empty={points.length === 0 ? <PanelEmpty text={t("report.empty")} /> : undefined}
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
              })),
            }}
            options={baseOptions(colors)}
          />
        </ChartCard>
        <ChartCard
          title={t("errors.title")}
          description={t("report.errorsBody")}
          loading={false}
          empty={data.errors.length === 0 ? <PanelEmpty text={t("report.noErrors")} /> : undefined}
          actions={
            <span data-print="hide">
              <CsvDownload
                fileName={`campaign-${data.id}-failures.csv`}
                header={[t("csvHeader.reason"), t("status.failed")]}
                rows={data.errors.map((e) => [reasonLabel(e.code), e.failed])}
              />
            </span>
          }
        >
          <Bar
            aria-label={t("errors.title")}
            role="img"
            fallbackContent={legendText(data.errors.slice(0, 10).map((e) => reasonLabel(e.code)))}
            data={{
              labels: data.errors.slice(0, 10).map((e) => reasonLabel(e.code)),
              datasets: [
                {
                  label: t("status.failed"),
                  data: data.errors.slice(0, 10).map((e) => e.failed),
                  backgroundColor: colors.failed,
                },
              ],
            }}
            options={{ ...baseOptions(colors), indexAxis: "y" as const }}
          />
        </ChartCard>
      </div>
    </div>
  );
}
