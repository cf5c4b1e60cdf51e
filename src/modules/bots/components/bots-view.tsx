"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Bot, Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { ListFooter } from "@/components/shell/list-parts";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { BotView } from "../bots.schema";
import { BotFormDialog } from "./bot-form-dialog";
import { BotsTable, type BotAction } from "./bots-table";
import { RotateAgentDialog } from "./rotate-agent-dialog";
import { SecretDialog } from "./secret-dialog";
import { shownSecretOf, useBotActions } from "./use-bot-actions";

const PAGE_SIZE = 50;

type DialogState =
  null | { kind: "form"; bot: BotView | null } | { kind: "rotate" | "delete"; bot: BotView };

/** The Bots page: every sender with its status, pacing and today's counts, and its actions. */
export function BotsView() {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("bots");
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<DialogState>(null);
  const { pause, resume, rotate, secret, setSecret, refresh, onError, done } = useBotActions(() =>
    setDialog(null),
  );

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("bots:write") ?? false;
  const canManageSecrets = access.data?.permissions.includes("secrets:manage") ?? false;
  const list = useQuery({
    ...trpc.bots.list.queryOptions({ page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    // Agents come and go on their own: their presence stays current without a reload.
    refetchInterval: 15_000,
  });

  const remove = useMutation(
    trpc.bots.delete.mutationOptions({ onSuccess: done(t("delete.done")), onError }),
  );

  const onAction = (action: BotAction, bot: BotView) => {
    if (action === "pause") pause.mutate({ id: bot.id });
    else if (action === "resume") resume.mutate({ id: bot.id });
    else if (action === "edit") setDialog({ kind: "form", bot });
    else setDialog({ kind: action, bot });
  };

  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const empty = list.data && total === 0;
  const newBot = canWrite && (
    <Button onClick={() => setDialog({ kind: "form", bot: null })}>
      <Plus aria-hidden />
      {t("newBot")}
    </Button>
  );

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={!empty && newBot} />
      {access.data && !canWrite && (
        <p className="mb-4 text-sm text-muted-foreground" role="note">
          {t("readOnly")}
        </p>
      )}
      {empty ? (
        <EmptyState
          icon={<Bot />}
          title={t("empty.title")}
          description={canWrite ? t("empty.body") : t("empty.readOnlyBody")}
          action={newBot}
        />
      ) : (
        <Card>
          <CardContent className="space-y-4">
            <p className="text-sm text-muted-foreground" aria-live="polite">
              {list.data && t("count", { count: total })}
            </p>
            {list.isError ? (
              <div
                role="alert"
                className="flex flex-wrap items-center gap-3 text-sm text-destructive"
              >
                <span>
                  {t("table.loadError")} {errorMessage(list.error)}
                </span>
                <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                  {t("table.retry")}
                </Button>
              </div>
            ) : (
              <BotsTable
                rows={rows}
                loading={list.isPending}
                canWrite={canWrite}
                canManageSecrets={canManageSecrets}
                onAction={onAction}
              />
            )}
            <ListFooter
              error={null}
              page={page}
              pages={Math.ceil(total / PAGE_SIZE)}
              onPageChange={setPage}
            />
          </CardContent>
        </Card>
      )}

      <BotFormDialog
        open={dialog?.kind === "form"}
        onOpenChange={(open) => !open && setDialog(null)}
        bot={dialog?.kind === "form" ? dialog.bot : null}
        canManageSecrets={canManageSecrets}
        onSaved={(saved, value) => {
          refresh();
          if (value) setSecret(shownSecretOf(saved, value));
        }}
      />
      <SecretDialog
        secret={secret?.value ?? null}
        botName={secret?.botName ?? ""}
        agentId={secret?.agentId ?? null}
        onClose={() => setSecret(null)}
      />
      <RotateAgentDialog
        open={dialog?.kind === "rotate" && dialog.bot.kind === "agent"}
        onOpenChange={(open) => !open && setDialog(null)}
        botName={dialog?.kind === "rotate" ? dialog.bot.name : ""}
        onConfirm={(overlapSeconds) =>
          dialog?.kind === "rotate" && rotate.mutate({ id: dialog.bot.id, overlapSeconds })
        }
      />
      <ConfirmDialog
        open={dialog?.kind === "rotate" && dialog.bot.kind !== "agent"}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t("rotate.title", { name: dialog?.kind === "rotate" ? dialog.bot.name : "" })}
        description={t("rotate.body")}
        confirmLabel={t("rotate.confirm")}
        onConfirm={() => dialog?.kind === "rotate" && rotate.mutate({ id: dialog.bot.id })}
      />
      <ConfirmDialog
        open={dialog?.kind === "delete"}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t("delete.title", { name: dialog?.kind === "delete" ? dialog.bot.name : "" })}
        description={t("delete.body")}
        confirmLabel={t("delete.confirm")}
        onConfirm={() => dialog?.kind === "delete" && remove.mutate({ id: dialog.bot.id })}
      />
    </>
  );
}
