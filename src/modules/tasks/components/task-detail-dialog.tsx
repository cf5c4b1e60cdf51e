"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { TaskStatusBadge } from "./task-status-badge";

/** One task: its fields, payload, result and the timeline of what happened to it. */
export function TaskDetailDialog({
  taskId,
  botName,
  onClose,
}: {
  taskId: string | null;
  botName: (id: string) => string;
  onClose: () => void;
}) {
  const t = useTranslations("tasks");
  const common = useTranslations("common");
  const format = useFormatter();
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const detail = useQuery({
    ...trpc.tasks.get.queryOptions({ id: taskId ?? "" }),
    enabled: !!taskId,
    refetchInterval: 2000,
  });
  const task = detail.data?.task;
  return (
    <Dialog open={!!taskId} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        closeLabel={common("close")}
        className="max-h-[90vh] overflow-y-auto sm:max-w-2xl"
      >
        <DialogHeader>
          <DialogTitle className="font-mono text-base">
            {task?.action ?? common("loading")}
          </DialogTitle>
          <DialogDescription className="break-all font-mono text-xs">{taskId}</DialogDescription>
        </DialogHeader>
        {detail.isError && (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(detail.error)}
          </p>
        )}
        {task && (
          <div className="grid gap-4 text-sm">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted-foreground">{t("columns.status")}</dt>
              <dd>
                <TaskStatusBadge status={task.status} />
                {task.error && <span className="ml-2 font-mono text-xs">{task.error}</span>}
              </dd>
              <dt className="text-muted-foreground">{t("columns.bot")}</dt>
              <dd>{botName(task.botId)}</dd>
              <dt className="text-muted-foreground">{t("columns.attempts")}</dt>
              <dd>{t("attemptsOf", { attempts: task.attempts, max: task.maxAttempts })}</dd>
              <dt className="text-muted-foreground">{t("columns.priority")}</dt>
              <dd>{task.priority}</dd>
              <dt className="text-muted-foreground">{t("detail.timeout")}</dt>
              <dd>{t("detail.seconds", { seconds: task.timeoutSeconds })}</dd>
              {task.leaseExpiresAt && (
                <>
                  <dt className="text-muted-foreground">{t("detail.leaseExpires")}</dt>
                  <dd>{format.dateTime(task.leaseExpiresAt, { timeStyle: "medium" })}</dd>
                </>
              )}
            </dl>
            <section>
              <h3 className="mb-1 font-medium">{t("detail.payload")}</h3>
              <pre className="overflow-x-auto rounded-md bg-muted p-2 text-xs">
                {JSON.stringify(task.payload, null, 2)}
              </pre>
            </section>
            {task.result && (
              <section>
                <h3 className="mb-1 font-medium">{t("detail.result")}</h3>
                <pre className="overflow-x-auto rounded-md bg-muted p-2 text-xs">
                  {JSON.stringify(task.result, null, 2)}
                </pre>
              </section>
            )}
            <section>
              <h3 className="mb-1 font-medium">{t("detail.timeline")}</h3>
              <ol className="grid gap-1 border-l pl-3">
                {(detail.data?.events ?? []).map((e) => (
                  <li key={e.id} className="text-xs">
                    <span className="text-muted-foreground">
                      {format.dateTime(e.occurredAt, { dateStyle: "short", timeStyle: "medium" })}
                    </span>{" "}
                    <span className="font-medium">
                      {t.has(`events.${e.type}`) ? t(`events.${e.type}`) : e.type}
                    </span>
                    {e.detail && Object.keys(e.detail).length > 0 && (
                      <span className="ml-1 break-all font-mono text-muted-foreground">
                        {JSON.stringify(e.detail)}
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </section>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
