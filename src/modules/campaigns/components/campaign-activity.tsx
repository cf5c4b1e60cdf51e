"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { formatPhone } from "@/lib/phone-format";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { CampaignView } from "../campaigns.schema";
import { cn } from "@/lib/utils";
import { useReasonText } from "./campaign-format";

/** Recent failures with their reasons and, for a recurring campaign, its next runs. */
export function CampaignActivity({
  campaign,
  live,
  showFailures = true,
  timeZone,
}: {
  campaign: CampaignView;
  live: boolean;
  /** A recurring campaign's own page: its runs fail, never the campaign itself. */
  showFailures?: boolean;
  /** The workspace's: cron runs fire on its clock. */
  timeZone?: string;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns.activity");
  const format = useFormatter();
  const reasonText = useReasonText();
  const now = useNow({ updateInterval: 30_000 });
  const trpc = useTRPC();
  const activity = useQuery({
    ...trpc.campaigns.activity.queryOptions({ id: campaign.id }),
    refetchInterval: live ? 5000 : false,
  });
  const recurring = campaign.schedule.type === "cron" && !campaign.parentId;
  const failures = activity.data?.failures ?? [];
  const nextRuns = activity.data?.nextRuns ?? [];

  return (
    <div className={cn("grid gap-4 [&>*]:min-w-0", recurring && showFailures && "lg:grid-cols-2")}>
      {showFailures && (
        <Card className="gap-3">
          <CardHeader>
            <CardTitle>
              <h2>{t("failures")}</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {activity.isPending ? (
              <Skeleton className="h-4 w-48" />
            ) : activity.isError ? (
              <p role="alert" className="text-sm text-destructive">
                {errorMessage(activity.error)}
              </p>
            ) : failures.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t("noFailures")}</p>
            ) : (
              <ul className="divide-y text-sm" aria-live="polite">
                {failures.map((f) => (
                  <li
                    key={f.id}
                    className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5 py-2"
                  >
                    <span className="min-w-0">
                      <span className="font-mono text-xs tabular-nums">{formatPhone(f.phone)}</span>
                      {f.nombre && <span className="ml-2 text-muted-foreground">{f.nombre}</span>}
                      <span className="block text-destructive">{reasonText(f.errorCode)}</span>
                    </span>
                    <span className="text-xs whitespace-nowrap text-muted-foreground">
                      {t("attempts", { count: f.attempts })} ·{" "}
                      {format.relativeTime(f.updatedAt, now)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      )}
      {recurring && (
        <Card className="gap-3">
          <CardHeader>
            <CardTitle>
              <h2>{t("nextRuns")}</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {nextRuns.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                {activity.isPending ? "…" : t("noNextRuns")}
              </p>
            ) : (
              <ol className="grid gap-1 text-sm tabular-nums">
                {nextRuns.map((d) => (
                  <li key={d.toISOString()}>
                    {format.dateTime(d, { dateStyle: "full", timeStyle: "short", timeZone })}
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      )}
    </div>
  );
}
