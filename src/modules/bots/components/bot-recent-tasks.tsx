"use client";

import { useQuery } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { EmptyState } from "@/components/ui/empty-state";
import { useTRPC } from "@/lib/trpc/client";
import { TaskDetailDialog } from "@/modules/tasks/components/task-detail-dialog";
import { TaskStatusBadge } from "@/modules/tasks/components/task-status-badge";
import type { BotView } from "../bots.schema";
import { BotActivityCard } from "./bot-activity-card";

const RECENT = 10;

/** The bot's latest tasks (agents take tasks; senders show why there are none), each opening its timeline. */
export function BotRecentTasks({ bot }: { bot: Pick<BotView, "id" | "name" | "kind"> }) {
  const t = useTranslations("bots.detail");
  const format = useFormatter();
  const trpc = useTRPC();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    ...trpc.tasks.list.queryOptions({ botId: bot.id, limit: RECENT }),
    // Agents move their tasks on their own.
    refetchInterval: 5000,
  });
  const rows = list.data?.rows ?? [];
  return (
    <BotActivityCard
      title={t("tasksTitle")}
      link={{ href: `/tasks?bot=${bot.id}`, label: t("allTasks") }}
      query={{
        isError: list.isError,
        error: list.error,
        isPending: list.isPending,
        isEmpty: rows.length === 0,
      }}
      skeletonClassName="h-8 w-full"
      empty={
        <EmptyState
          icon={<ListChecks />}
          title={t("tasksEmpty")}
          description={bot.kind === "agent" ? t("tasksEmptyAgent") : t("tasksEmptySender")}
        />
      }
      after={
        <TaskDetailDialog taskId={open} botName={() => bot.name} onClose={() => setOpen(null)} />
      }
    >
      <ul className="divide-y" aria-label={t("tasksTitle")}>
        {rows.map((task) => (
          <li key={task.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
            <button
              type="button"
              className="min-w-0 flex-1 truncate text-left font-mono text-sm underline-offset-4 hover:underline focus-visible:underline"
              onClick={() => setOpen(task.id)}
            >
              {task.action}
            </button>
            <TaskStatusBadge status={task.status} />
            <span className="text-xs text-muted-foreground tabular-nums">
              {t("attempts", { attempts: task.attempts, max: task.maxAttempts })}
            </span>
            <time className="text-xs text-muted-foreground" dateTime={task.createdAt.toISOString()}>
              {format.dateTime(task.createdAt, { dateStyle: "short", timeStyle: "short" })}
            </time>
          </li>
        ))}
      </ul>
    </BotActivityCard>
  );
}
