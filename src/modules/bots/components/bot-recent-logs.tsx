"use client";

import { useQuery } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import { LEVEL_TONE } from "@/modules/tasks/components/log-level-tone";

const RECENT = 20;

/** The bot's latest log lines and events, newest first; the Logs page has the live stream. */
export function BotRecentLogs({ botId }: { botId: string }) {
  const t = useTranslations("bots.detail");
  const levels = useTranslations("logs.levels");
  const format = useFormatter();
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.logs.list.queryOptions({ botId, limit: RECENT }),
    refetchInterval: 5000,
  });
  const rows = list.data?.rows ?? [];
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>
          <h2>{t("logsTitle")}</h2>
        </CardTitle>
        <Button variant="outline" size="sm" asChild>
          <Link href={`/logs?bot=${botId}`}>{t("allLogs")}</Link>
        </Button>
      </CardHeader>
      <CardContent>
        {list.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(list.error)}
          </p>
        ) : list.isPending ? (
          <div className="grid gap-2" aria-busy>
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-6 w-full" />
            ))}
          </div>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<ScrollText />}
            title={t("logsEmpty")}
            description={t("logsEmptyBody")}
          />
        ) : (
          <ol className="divide-y rounded-md border font-mono text-xs" aria-label={t("logsTitle")}>
            {rows.map((line) => (
              <li
                key={line.id}
                className="flex flex-wrap items-start gap-x-2 gap-y-0.5 px-3 py-1.5"
              >
                <time
                  className="shrink-0 text-muted-foreground"
                  dateTime={line.occurredAt.toISOString()}
                >
                  {format.dateTime(line.occurredAt, { dateStyle: "short", timeStyle: "medium" })}
                </time>
                <span
                  className={cn("shrink-0 font-semibold uppercase", LEVEL_TONE[line.level])}
                  title={levels(line.level)}
                >
                  {line.level}
                </span>
                <span className="min-w-0 basis-full break-words whitespace-pre-wrap sm:basis-0 sm:flex-1">
                  {line.message}
                </span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
