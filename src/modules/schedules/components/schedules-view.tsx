"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, CalendarClock, Plus } from "lucide-react";
import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toLocale } from "@/i18n/locales";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import type { ScheduleView } from "../schedules.schema";
import { ScheduleFormDialog } from "./schedule-form-dialog";

/** Tasks → Schedules: every schedule with its reading, zone, next and last runs, and toggle. */
export function SchedulesView() {
  const t = useTranslations("schedules");
  const format = useFormatter();
  const locale = toLocale(useLocale());
  const { errorMessage, storedErrorText } = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<ScheduleView | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [deleting, setDeleting] = useState<ScheduleView | null>(null);

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("bots:write") ?? false;
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));
  const agents = (bots.data?.rows ?? []).filter((b) => b.kind === "agent");
  const botNames = new Map((bots.data?.rows ?? []).map((b) => [b.id, b.name]));
  const campaigns = useQuery(trpc.campaigns.list.queryOptions({ page: 1, pageSize: 100 }));
  const campaignNames = new Map((campaigns.data?.rows ?? []).map((c) => [c.id, c.name]));
  const list = useQuery({
    ...trpc.schedules.list.queryOptions({ locale }),
    // Firings move "last run" and "next runs" on their own.
    refetchInterval: 30_000,
  });
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.schedules.pathKey() }),
    [queryClient, trpc],
  );
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const toggle = useMutation(
    trpc.schedules.setEnabled.mutationOptions({
      onSuccess: (s) => (
        toast.success(s.enabled ? t("enabledToast") : t("disabledToast")),
        refresh()
      ),
      onError,
    }),
  );
  const remove = useMutation(
    trpc.schedules.delete.mutationOptions({
      onSuccess: () => (toast.success(t("deleted")), refresh()),
      onError,
    }),
  );
  const rows = list.data ?? [];
  const when = (d: Date, timeZone: string) =>
    format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone });
  const targetText = (s: ScheduleView) =>
    s.target.kind === "task"
      ? t("targetTask", {
          action: s.target.action,
          bot: botNames.get(s.target.botId) ?? s.target.botId.slice(0, 8),
        })
      : t("targetCampaign", {
          name: campaignNames.get(s.target.campaignId) ?? s.target.campaignId.slice(0, 8),
        });
  const openForm = (s: ScheduleView | null) => (setEditing(s), setFormOpen(true));

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <Link href="/tasks">
                <ArrowLeft aria-hidden />
                {t("backToTasks")}
              </Link>
            </Button>
            {canWrite && (
              <Button onClick={() => openForm(null)}>
                <Plus aria-hidden />
                {t("newSchedule")}
              </Button>
            )}
          </div>
        }
      />
      {list.isError && (
        <p role="alert" className="mb-4 text-sm text-destructive">
          {errorMessage(list.error)}
        </p>
      )}
      {list.data && rows.length === 0 ? (
        <EmptyState
          icon={<CalendarClock />}
          title={t("emptyTitle")}
          description={t("emptyBody")}
          action={
            canWrite && (
              <Button onClick={() => openForm(null)}>
                <Plus aria-hidden />
                {t("newSchedule")}
              </Button>
            )
          }
        />
      ) : (
        <Card>
          <CardContent>
            <Table aria-label={t("title")} aria-busy={list.isPending}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("columns.name")}</TableHead>
                  <TableHead>{t("columns.when")}</TableHead>
                  <TableHead>{t("columns.timeZone")}</TableHead>
                  <TableHead>{t("columns.nextRuns")}</TableHead>
                  <TableHead>{t("columns.lastRun")}</TableHead>
                  <TableHead>{t("columns.enabled")}</TableHead>
                  {canWrite && (
                    <TableHead>
                      <span className="sr-only">{t("columns.actions")}</span>
                    </TableHead>
                  )}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((s) => (
                  <TableRow key={s.id} data-schedule-id={s.id}>
                    <TableCell className="max-w-56">
                      <div className="truncate font-medium">{s.name}</div>
                      <div className="truncate text-xs text-muted-foreground">{targetText(s)}</div>
                    </TableCell>
                    <TableCell className="max-w-64">
                      <div>{s.description ?? t("unreadable")}</div>
                      <code className="text-xs text-muted-foreground">{s.cron}</code>
                    </TableCell>
                    <TableCell className="whitespace-nowrap">{s.timeZone}</TableCell>
                    <TableCell className="whitespace-nowrap tabular-nums">
                      {s.nextRuns.length === 0 ? (
                        <span className="text-muted-foreground">{t("none")}</span>
                      ) : (
                        <ul className="space-y-0.5 text-xs">
                          {s.nextRuns.map((run) => (
                            <li key={run.toISOString()}>{when(run, s.timeZone)}</li>
                          ))}
                        </ul>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      {s.lastFiredSlot ? when(s.lastFiredSlot, s.timeZone) : t("never")}
                      {s.lastError && (
                        <p className="text-xs text-destructive">
                          {t("lastError", { error: storedErrorText(s.lastError) })}
                        </p>
                      )}
                    </TableCell>
                    <TableCell>
                      <button
                        type="button"
                        role="switch"
                        aria-checked={s.enabled}
                        aria-label={t("toggle", { name: s.name })}
                        disabled={!canWrite || toggle.isPending}
                        onClick={() => toggle.mutate({ id: s.id, enabled: !s.enabled, locale })}
                        className={cn(
                          "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-60",
                          s.enabled ? "bg-primary" : "bg-input dark:bg-muted",
                        )}
                      >
                        <span
                          aria-hidden
                          className={cn(
                            "inline-block size-5 rounded-full bg-background shadow transition-transform",
                            s.enabled ? "translate-x-5" : "translate-x-0",
                          )}
                        />
                      </button>
                    </TableCell>
                    {canWrite && (
                      <TableCell className="text-right whitespace-nowrap">
                        <Button variant="outline" size="sm" onClick={() => openForm(s)}>
                          {t("edit")}
                        </Button>{" "}
                        <Button variant="outline" size="sm" onClick={() => setDeleting(s)}>
                          {t("delete")}
                        </Button>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <ScheduleFormDialog
        open={formOpen}
        onOpenChange={setFormOpen}
        editing={editing}
        bots={agents}
        onSaved={refresh}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={t("deleteTitle", { name: deleting?.name ?? "" })}
        description={t("deleteBody")}
        confirmLabel={t("delete")}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      />
    </>
  );
}
