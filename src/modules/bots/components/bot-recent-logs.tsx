"use client";

import { useQuery } from "@tanstack/react-query";
import { ScrollText } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { EmptyState } from "@/components/ui/empty-state";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import { LEVEL_TONE } from "@/modules/tasks/components/log-level-tone";
import { BotActivityCard } from "./bot-activity-card";

const RECENT = 20;

/** The bot's latest log lines and events, newest first; the Logs page has the live stream. */
export function BotRecentLogs({ botId }: { botId: string }) {
  const t = useTranslations("bots.detail");
  const levels = useTranslations("logs.levels");
  const format = useFormatter();
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.logs.list.queryOptions({ botId, limit: RECENT }),
    refetchInterval: 5000,
  });
  const rows = list.data?.rows ?? [];
  return (
    <BotActivityCard
      title={t("logsTitle")}
      link={{ href: `/logs?bot=${botId}`, label: t("allLogs") }}
      query={{
        isError: list.isError,
        error: list.error,
        isPending: list.isPending,
        isEmpty: rows.length === 0,
      }}
      skeletonClassName="h-6 w-full"
      empty={
        <EmptyState icon={<ScrollText />} title={t("logsEmpty")} description={t("logsEmptyBody")} />
      }
    >
      <ol className="divide-y rounded-md border font-mono text-xs" aria-label={t("logsTitle")}>
        {rows.map((line) => (
          <li key={line.id} className="flex flex-wrap items-start gap-x-2 gap-y-0.5 px-3 py-1.5">
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
    </BotActivityCard>
  );
}
