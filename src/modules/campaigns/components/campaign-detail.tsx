"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { ArrowLeft, Radio } from "lucide-react";
import Link from "next/link";
import { CampaignReportLink } from "@/modules/stats/components/campaign-report-link";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import type { CampaignCounts } from "../campaigns.schema";
import { CampaignActions } from "./campaign-actions";
import { CampaignActivity } from "./campaign-activity";
import { CampaignDefinitionCard } from "./campaign-definition-card";
import {
  CampaignProgress,
  CampaignStatusBadge,
  doneOf,
  LIVE_STATUSES,
  useFormatDuration,
} from "./campaign-format";
import { CampaignRuns } from "./campaign-runs";
import { RecipientsTable } from "./recipients-table";
import { useSendRate } from "./use-send-rate";

const COUNT_KEYS = [
  "total",
  "pending",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
  "canceled",
] as const;

/**
 * One campaign. The `campaigns.get` cache entry is the single source of truth: the live
 * `progress` stream writes each pushed view into it (and feeds the rate/ETA measurement);
 * polling is only the fallback when the stream drops.
 */
export function CampaignDetail({ id }: { id: string }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [liveLost, setLiveLost] = useState(false);
  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("campaigns:write") ?? false;
  const getKey = trpc.campaigns.get.queryKey({ id });
  const campaign = useQuery({
    ...trpc.campaigns.get.queryOptions({ id }),
    refetchInterval: (q) =>
      liveLost && q.state.data && LIVE_STATUSES.has(q.state.data.status) ? 3000 : false,
  });
  const view = campaign.data;
  const live = !!view && LIVE_STATUSES.has(view.status);
  const remaining = view ? Math.max(0, view.counts.total - doneOf(view.counts)) : 0;
  const rate = useSendRate({ active: view?.status === "running", remaining });

  useSubscription(
    trpc.campaigns.progress.subscriptionOptions(
      { id },
      {
        enabled: live,
        onData: ({ at, ...next }) => {
          setLiveLost(false);
          queryClient.setQueryData(getKey, next);
          rate.record(at, doneOf(next.counts));
        },
        onError: () => setLiveLost(true),
      },
    ),
  );

  // A new failure shows in "recent failures" at once, not at the next poll.
  const failed = view?.counts.failed ?? 0;
  useEffect(() => {
    if (failed > 0) {
      void queryClient.invalidateQueries({ queryKey: trpc.campaigns.activity.queryKey({ id }) });
    }
  }, [failed, queryClient, trpc, id]);

  // Once it settles, the failures and recipients below have their final values.
  const status = view?.status;
  useEffect(() => {
    if (status && !LIVE_STATUSES.has(status) && status !== "draft") {
      void queryClient.invalidateQueries({ queryKey: trpc.campaigns.recipients.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.campaigns.activity.queryKey({ id }) });
    }
  }, [status, queryClient, trpc, id]);

  if (campaign.isError) {
    return (
      <EmptyState
        title={t("detail.notFound")}
        description={errorMessage(campaign.error)}
        action={<BackLink />}
      />
    );
  }
  if (!view) {
    return (
      <div className="grid gap-4" aria-busy>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-32 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }

  // A recurring campaign sends nothing itself: each firing is a run with its own page.
  const recurring = view.schedule.type === "cron" && !view.parentId;
  const sends = view.status !== "draft" && !recurring;
  const dateOf = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="flex flex-col gap-4">
      <div>
        <BackLink />
      </div>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid min-w-0 gap-2">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{view.name}</h1>
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm text-muted-foreground">
            <CampaignStatusBadge
              status={view.status}
              reason={view.statusReason}
              testId="campaign-status"
            />
            <span>
              {view.completedAt
                ? t("detail.completedAt", { date: dateOf(view.completedAt) })
                : view.launchedAt
                  ? t("detail.launchedAt", { date: dateOf(view.launchedAt) })
                  : t("detail.createdAt", { date: dateOf(view.createdAt) })}
            </span>
            {sends && <CampaignReportLink campaignId={view.id} />}
            {view.parentId && (
              <Link href={`/campaigns/${view.parentId}`} className="underline underline-offset-4">
                {t("detail.openParent")}
              </Link>
            )}
          </div>
        </div>
        {canWrite && <CampaignActions campaign={view} />}
      </header>
      {access.data && !canWrite && (
        <p className="text-sm text-muted-foreground" role="note">
          {t("readOnly")}
        </p>
      )}

      {sends && (
        <Card className="gap-4">
          <CardContent className="grid gap-5">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="min-w-0 flex-1">
                <CampaignProgress name={view.name} counts={view.counts} />
              </div>
              {live && (
                <span
                  className={cn(
                    "inline-flex items-center gap-1 text-xs text-muted-foreground",
                    !liveLost && "[&_svg]:text-success",
                  )}
                  title={liveLost ? t("detail.liveLost") : undefined}
                >
                  <Radio className="size-3.5" aria-hidden />
                  {liveLost ? t("detail.liveLost") : t("detail.live")}
                </span>
              )}
            </div>
            <CountsList counts={view.counts} />
            {view.status === "running" && (
              <RateLine perMinute={rate.perMinute} secondsLeft={rate.secondsLeft} />
            )}
          </CardContent>
        </Card>
      )}

      {view.status !== "draft" && (
        <CampaignActivity
          campaign={view}
          live={live}
          showFailures={!recurring}
          timeZone={access.data?.workspace.timeZone}
        />
      )}
      {recurring && view.status !== "draft" && <CampaignRuns campaignId={view.id} />}
      <CampaignDefinitionCard campaign={view} />
      {sends && <RecipientsTable campaignId={view.id} live={live} launched />}
    </div>
  );
}

function BackLink() {
  const t = useTranslations("campaigns.detail");
  return (
    <Button variant="ghost" size="sm" className="-ml-2" asChild>
      <Link href="/campaigns">
        <ArrowLeft aria-hidden />
        {t("back")}
      </Link>
    </Button>
  );
}

function CountsList({ counts }: { counts: CampaignCounts }) {
  const t = useTranslations("campaigns.counts");
  const format = useFormatter();
  const keys = counts.unknown > 0 ? [...COUNT_KEYS, "unknown" as const] : COUNT_KEYS;
  return (
    <dl aria-label={t("label")} className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8">
      {keys.map((key) => (
        <div
          key={key}
          className={cn(
            "rounded-lg border bg-muted/30 px-3 py-2",
            key === "failed" && counts.failed > 0 && "border-destructive/40 bg-destructive/5",
          )}
        >
          <dt
            className={cn(
              "text-xs",
              key === "failed" && counts.failed > 0 ? "text-foreground" : "text-muted-foreground",
            )}
          >
            {t(key)}
          </dt>
          <dd className="text-xl font-semibold tabular-nums">{format.number(counts[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

function RateLine({
  perMinute,
  secondsLeft,
}: {
  perMinute: number | null;
  secondsLeft: number | null;
}) {
  const t = useTranslations("campaigns.detail");
  const format = useFormatter();
  const formatDuration = useFormatDuration();
  return (
    <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm" aria-live="off">
      <div className="flex gap-2">
        <dt className="text-muted-foreground">{t("rate")}:</dt>
        <dd className="font-medium tabular-nums">
          {perMinute === null
            ? t("measuring")
            : t("rateValue", {
                rate: format.number(perMinute, { maximumFractionDigits: perMinute < 10 ? 1 : 0 }),
              })}
        </dd>
      </div>
      <div className="flex gap-2">
        <dt className="text-muted-foreground">{t("eta")}:</dt>
        <dd className="font-medium tabular-nums">
          {secondsLeft === null
            ? t("measuring")
            : t("etaValue", { duration: formatDuration(secondsLeft) })}
        </dd>
      </div>
    </dl>
  );
}
