"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CalendarClock, ListTodo, Plus } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useId, useState } from "react";
import { toast } from "sonner";
import { EmptyTableRow } from "@/components/shell/list-parts";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { TASK_STATUSES, TERMINAL_TASK_STATUSES, type TaskView } from "../tasks.schema";
import { ActionFormDialog } from "./action-form-dialog";
import { TaskDetailDialog } from "./task-detail-dialog";
import { TaskFormDialog } from "./task-form-dialog";
import { TaskStatusBadge } from "./task-status-badge";

const PAGE = 50;
const selectClass = "h-9 rounded-md border bg-transparent px-3 text-sm";

/** The Tasks page: filters, a live list (keyset pages), create, cancel, retry and details. */
export function TasksView({ initialBotId = "" }: { initialBotId?: string }) {
  const t = useTranslations("tasks");
  const common = useTranslations("common");
  const schedules = useTranslations("schedules");
  const format = useFormatter();
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [status, setStatus] = useState<TaskView["status"] | "">("");
  const [botId, setBotId] = useState(initialBotId);
  const [cursors, setCursors] = useState<string[]>([]);
  const [dialog, setDialog] = useState<"task" | "action" | null>(null);
  const [detail, setDetail] = useState<string | null>(null);

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("bots:write") ?? false;
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));
  const agents = (bots.data?.rows ?? []).filter((b) => b.kind === "agent");
  const names = new Map((bots.data?.rows ?? []).map((b) => [b.id, b.name]));
  const botName = (bid: string) => names.get(bid) ?? bid.slice(0, 8);

  const list = useQuery({
    ...trpc.tasks.list.queryOptions({
      status: status ? [status] : undefined,
      botId: botId || undefined,
      cursor: cursors.at(-1),
      limit: PAGE,
    }),
    placeholderData: keepPreviousData,
    // Agents move tasks on their own: keep the list close to live.
    refetchInterval: 2000,
  });
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() }),
    [queryClient, trpc],
  );
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const cancel = useMutation(
    trpc.tasks.cancel.mutationOptions({
      onSuccess: () => (toast.success(t("canceled")), refresh()),
      onError,
    }),
  );
  const retry = useMutation(
    trpc.tasks.retry.mutationOptions({
      onSuccess: () => (toast.success(t("retried")), refresh()),
      onError,
    }),
  );
  const resetPages = () => setCursors([]);
  const rows = list.data?.rows ?? [];
  const columns = canWrite ? 7 : 6;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <Link href="/tasks/schedules">
                <CalendarClock aria-hidden />
                {schedules("title")}
              </Link>
            </Button>
            {canWrite && (
              <>
                <Button variant="outline" onClick={() => setDialog("action")}>
                  {t("defineAction")}
                </Button>
                <Button onClick={() => setDialog("task")}>
                  <Plus aria-hidden />
                  {t("newTask")}
                </Button>
              </>
            )}
          </div>
        }
      />
      <Card>
        <CardContent className="space-y-4">
          <div className="flex flex-wrap gap-3">
            <div className="grid gap-1">
              <Label htmlFor={`${id}-status`}>{t("columns.status")}</Label>
              <select
                id={`${id}-status`}
                className={selectClass}
                value={status}
                onChange={(e) => (
                  setStatus(e.target.value as TaskView["status"] | ""),
                  resetPages()
                )}
              >
                <option value="">{common("all")}</option>
                {TASK_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid gap-1">
              <Label htmlFor={`${id}-bot`}>{t("columns.bot")}</Label>
              <select
                id={`${id}-bot`}
                className={selectClass}
                value={botId}
                onChange={(e) => (setBotId(e.target.value), resetPages())}
              >
                <option value="">{common("all")}</option>
                {agents.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {list.isError && (
            <p role="alert" className="text-sm text-destructive">
              {errorMessage(list.error)}
            </p>
          )}
          <Table aria-label={t("title")} aria-busy={list.isPending}>
            <TableHeader>
              <TableRow>
                <TableHead>{t("columns.created")}</TableHead>
                <TableHead>{t("columns.bot")}</TableHead>
                <TableHead>{t("columns.action")}</TableHead>
                <TableHead>{t("columns.status")}</TableHead>
                <TableHead className="text-right">{t("columns.attempts")}</TableHead>
                <TableHead className="text-right">{t("columns.priority")}</TableHead>
                {canWrite && (
                  <TableHead>
                    <span className="sr-only">{t("columns.actions")}</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              <EmptyTableRow show={!!list.data && rows.length === 0} colSpan={columns}>
                <span className="inline-flex items-center gap-2">
                  <ListTodo className="size-4" aria-hidden />
                  {t("empty")}
                </span>
              </EmptyTableRow>
              {rows.map((task) => {
                const finished = (TERMINAL_TASK_STATUSES as readonly string[]).includes(
                  task.status,
                );
                return (
                  <TableRow key={task.id} data-task-id={task.id}>
                    <TableCell className="whitespace-nowrap">
                      <button
                        type="button"
                        className="underline-offset-2 hover:underline"
                        onClick={() => setDetail(task.id)}
                      >
                        {format.dateTime(task.createdAt, {
                          dateStyle: "short",
                          timeStyle: "medium",
                        })}
                      </button>
                    </TableCell>
                    <TableCell className="max-w-40 truncate">{botName(task.botId)}</TableCell>
                    <TableCell className="font-mono text-xs">{task.action}</TableCell>
                    <TableCell>
                      <TaskStatusBadge status={task.status} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {t("attemptsOf", { attempts: task.attempts, max: task.maxAttempts })}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{task.priority}</TableCell>
                    {canWrite && (
                      <TableCell className="text-right whitespace-nowrap">
                        {!finished && (
                          <Button
                            variant="outline"
                            size="sm"
                            onClick={() => cancel.mutate({ id: task.id })}
                          >
                            {t("cancel")}
                          </Button>
                        )}
                        {finished &&
                          task.status !== "SUCCEEDED" &&
                          task.action !== "send_message" && (
                            <Button
                              variant="outline"
                              size="sm"
                              onClick={() => retry.mutate({ id: task.id })}
                            >
                              {t("retry")}
                            </Button>
                          )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <div className="flex justify-end gap-2">
            <Button
              variant="outline"
              size="sm"
              disabled={cursors.length === 0}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              {common("previous")}
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={!list.data?.nextCursor}
              onClick={() =>
                list.data?.nextCursor && setCursors((c) => [...c, list.data.nextCursor!])
              }
            >
              {common("next")}
            </Button>
          </div>
        </CardContent>
      </Card>
      <TaskFormDialog
        open={dialog === "task"}
        onOpenChange={(open) => setDialog(open ? "task" : null)}
        bots={agents}
        onCreated={refresh}
      />
      <ActionFormDialog
        open={dialog === "action"}
        onOpenChange={(open) => setDialog(open ? "action" : null)}
        onSaved={() =>
          void queryClient.invalidateQueries({ queryKey: trpc.tasks.actions.queryKey() })
        }
      />
      <TaskDetailDialog taskId={detail} botName={botName} onClose={() => setDetail(null)} />
    </>
  );
}
