"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, KeyRound, Pause, Pencil, Play } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { BotDetailView } from "../bots.schema";
import { AgentPresence } from "./agent-presence";
import { BotFormDialog } from "./bot-form-dialog";
import { BotStatusBadge, usePacingSummary } from "./bot-format";
import { BotRecentLogs } from "./bot-recent-logs";
import { BotRecentTasks } from "./bot-recent-tasks";
import { BotWeek } from "./bot-week";
import { RotateAgentDialog } from "./rotate-agent-dialog";
import { SecretDialog } from "./secret-dialog";
import { useBotActions } from "./use-bot-actions";

type Dialog = null | "edit" | "rotate";

/** The stored secret without which a kind's provider webhooks are refused. */
const INBOUND_SECRET: Partial<Record<BotDetailView["kind"], string>> = {
  whatsapp_cloud: "appSecret",
  infobip: "webhookToken",
};

/** One bot: status, pacing, today and the last week, its tasks and log lines, and its actions. */
export function BotDetail({
  id,
  canWrite,
  canManageSecrets,
}: {
  id: string;
  canWrite: boolean;
  /** Rotating a signing secret and replacing stored credentials: admins. */
  canManageSecrets: boolean;
}) {
  const t = useTranslations("bots");
  const d = useTranslations("bots.detail");
  const trpc = useTRPC();
  const { errorMessage } = useErrorMessage();
  const [dialog, setDialog] = useState<Dialog>(null);
  const { pause, resume, rotate, secret, setSecret, refresh } = useBotActions(() =>
    setDialog(null),
  );
  const query = useQuery({
    ...trpc.bots.get.queryOptions({ id }),
    // Presence and today's counts move on their own.
    refetchInterval: 15_000,
  });

  const back = (
    <Button variant="outline" asChild>
      <Link href="/bots">
        <ArrowLeft aria-hidden />
        {d("back")}
      </Link>
    </Button>
  );
  if (query.isError) {
    return (
      <>
        <PageHeader title={d("title")} actions={back} />
        <p role="alert" className="text-sm text-destructive">
          {query.error.data?.code === "NOT_FOUND" ? d("notFound") : errorMessage(query.error)}
        </p>
      </>
    );
  }
  const bot = query.data;
  const busy = pause.isPending || resume.isPending || rotate.isPending;
  const actions = (
    <div className="flex flex-wrap gap-2">
      {back}
      {canWrite && bot && (
        <>
          <Button variant="outline" onClick={() => setDialog("edit")}>
            <Pencil aria-hidden />
            {t("row.edit")}
          </Button>
          {bot.status === "active" ? (
            <Button variant="outline" disabled={busy} onClick={() => pause.mutate({ id })}>
              <Pause aria-hidden />
              {t("row.pause")}
            </Button>
          ) : (
            <Button variant="outline" disabled={busy} onClick={() => resume.mutate({ id })}>
              <Play aria-hidden />
              {t("row.resume")}
            </Button>
          )}
          {canManageSecrets && (bot.kind === "agent" || bot.kind === "webhook") && (
            <Button variant="outline" disabled={busy} onClick={() => setDialog("rotate")}>
              <KeyRound aria-hidden />
              {t("row.rotate")}
            </Button>
          )}
        </>
      )}
    </div>
  );

  return (
    <>
      <PageHeader
        title={bot?.name ?? d("title")}
        description={bot && t(`kindHint.${bot.kind}`)}
        actions={actions}
      />
      {!canWrite && (
        <p className="mb-4 text-sm text-muted-foreground" role="note">
          {t("readOnly")}
        </p>
      )}
      {bot ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <BotFacts bot={bot} />
          <BotWeek days={bot.lastDays} />
          <BotRecentTasks bot={bot} />
          <BotRecentLogs botId={bot.id} />
        </div>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2" aria-busy>
          {Array.from({ length: 2 }, (_, i) => (
            <Skeleton key={i} className="h-64 w-full" />
          ))}
        </div>
      )}

      {bot && (
        <>
          <BotFormDialog
            open={dialog === "edit"}
            onOpenChange={(open) => !open && setDialog(null)}
            bot={bot}
            canManageSecrets={canManageSecrets}
            onSaved={refresh}
          />
          <RotateAgentDialog
            open={dialog === "rotate" && bot.kind === "agent"}
            onOpenChange={(open) => !open && setDialog(null)}
            botName={bot.name}
            onConfirm={(overlapSeconds) => rotate.mutate({ id, overlapSeconds })}
          />
          <ConfirmDialog
            open={dialog === "rotate" && bot.kind !== "agent"}
            onOpenChange={(open) => !open && setDialog(null)}
            title={t("rotate.title", { name: bot.name })}
            description={t("rotate.body")}
            confirmLabel={t("rotate.confirm")}
            onConfirm={() => rotate.mutate({ id })}
          />
        </>
      )}
      <SecretDialog
        secret={secret?.value ?? null}
        botName={secret?.botName ?? ""}
        agentId={secret?.agentId ?? null}
        onClose={() => setSecret(null)}
      />
    </>
  );
}

/** Kind, status and presence, last seen, concurrency, pacing and today's counts. */
function BotFacts({ bot }: { bot: BotDetailView }) {
  const t = useTranslations("bots");
  const d = useTranslations("bots.detail");
  const format = useFormatter();
  const pacing = usePacingSummary();
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>{d("overview")}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
          <dt className="text-muted-foreground">{t("columns.kind")}</dt>
          <dd>
            <Badge variant="outline">{t(`kind.${bot.kind}`)}</Badge>
          </dd>
          <dt className="text-muted-foreground">{t("columns.status")}</dt>
          <dd className="grid gap-1">
            <BotStatusBadge bot={bot} />
            {bot.kind === "agent" && <AgentPresence lastSeenAt={bot.lastSeenAt} />}
          </dd>
          <dt className="text-muted-foreground">{d("lastSeen")}</dt>
          <dd>
            {bot.lastSeenAt ? (
              <time dateTime={bot.lastSeenAt.toISOString()}>
                {format.dateTime(bot.lastSeenAt, { dateStyle: "medium", timeStyle: "short" })}
              </time>
            ) : (
              <span className="text-muted-foreground">{d("neverSeen")}</span>
            )}
          </dd>
          <dt className="text-muted-foreground">{t("columns.concurrency")}</dt>
          <dd className="tabular-nums">{format.number(bot.concurrency)}</dd>
          <dt className="text-muted-foreground">{t("columns.pacing")}</dt>
          <dd>{pacing(bot)}</dd>
          <dt className="text-muted-foreground">{t("todayLabel")}</dt>
          <dd className="tabular-nums">
            {t("today", { sent: bot.sentToday, failed: bot.failedToday })}
          </dd>
          {INBOUND_SECRET[bot.kind] && (
            <>
              <dt className="text-muted-foreground">{d("inbound")}</dt>
              <dd>
                {bot.credentialsSet.includes(INBOUND_SECRET[bot.kind]!)
                  ? d("inboundOn")
                  : d("inboundOff")}
              </dd>
            </>
          )}
        </dl>
      </CardContent>
    </Card>
  );
}
