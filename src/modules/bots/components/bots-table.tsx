"use client";

import { MoreHorizontal } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { BotView } from "../bots.schema";
import { AgentPresence } from "./agent-presence";
import { BotStatusBadge, usePacingSummary } from "./bot-format";

export type BotAction = "edit" | "pause" | "resume" | "rotate" | "delete";

/** One page of bots; the row menu (operators and admins only) holds every action. */
export function BotsTable({
  rows,
  loading,
  canWrite,
  canManageSecrets,
  onAction,
}: {
  rows: BotView[];
  loading: boolean;
  canWrite: boolean;
  /** Whether the row menu offers rotating a signing secret (admins). */
  canManageSecrets: boolean;
  onAction: (action: BotAction, bot: BotView) => void;
}) {
  const t = useTranslations("bots");
  const format = useFormatter();
  const pacing = usePacingSummary();
  const columns = canWrite ? 7 : 6;
  return (
    <Table aria-label={t("table.label")} aria-busy={loading}>
      <TableHeader>
        <TableRow>
          <TableHead>{t("columns.name")}</TableHead>
          <TableHead>{t("columns.kind")}</TableHead>
          <TableHead>{t("columns.status")}</TableHead>
          <TableHead className="text-right">{t("columns.concurrency")}</TableHead>
          <TableHead>{t("columns.pacing")}</TableHead>
          <TableHead>{t("columns.today")}</TableHead>
          {canWrite && (
            <TableHead className="w-10">
              <span className="sr-only">{t("columns.actions")}</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {loading && rows.length === 0
          ? Array.from({ length: 3 }, (_, i) => (
              <TableRow key={i}>
                {Array.from({ length: columns }, (__, j) => (
                  <TableCell key={j}>
                    <Skeleton className="h-4 w-20" />
                  </TableCell>
                ))}
              </TableRow>
            ))
          : rows.map((bot) => (
              <TableRow key={bot.id}>
                <TableCell className="max-w-56 truncate font-medium" title={bot.name}>
                  <Link
                    href={`/bots/${bot.id}`}
                    className="underline-offset-4 hover:underline focus-visible:underline"
                  >
                    {bot.name}
                  </Link>
                </TableCell>
                <TableCell>
                  <Badge variant="outline">{t(`kind.${bot.kind}`)}</Badge>
                </TableCell>
                <TableCell>
                  <BotStatusBadge bot={bot} />
                  {bot.kind === "agent" && <AgentPresence lastSeenAt={bot.lastSeenAt} />}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {format.number(bot.concurrency)}
                </TableCell>
                <TableCell className="max-w-72 text-xs whitespace-normal text-muted-foreground">
                  {pacing(bot)}
                </TableCell>
                <TableCell className="tabular-nums" aria-label={t("todayLabel")}>
                  {t("today", { sent: bot.sentToday, failed: bot.failedToday })}
                </TableCell>
                {canWrite && (
                  <TableCell>
                    <RowMenu bot={bot} canRotate={canManageSecrets} onAction={onAction} />
                  </TableCell>
                )}
              </TableRow>
            ))}
      </TableBody>
    </Table>
  );
}

function RowMenu({
  bot,
  canRotate,
  onAction,
}: {
  bot: BotView;
  canRotate: boolean;
  onAction: (action: BotAction, bot: BotView) => void;
}) {
  const t = useTranslations("bots.row");
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t("menu", { name: bot.name })}>
          <MoreHorizontal aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => onAction("edit", bot)}>{t("edit")}</DropdownMenuItem>
        {bot.status === "active" ? (
          <DropdownMenuItem onSelect={() => onAction("pause", bot)}>{t("pause")}</DropdownMenuItem>
        ) : (
          <DropdownMenuItem onSelect={() => onAction("resume", bot)}>
            {t("resume")}
          </DropdownMenuItem>
        )}
        {canRotate && (bot.kind === "webhook" || bot.kind === "agent") && (
          <DropdownMenuItem onSelect={() => onAction("rotate", bot)}>
            {t("rotate")}
          </DropdownMenuItem>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem variant="destructive" onSelect={() => onAction("delete", bot)}>
          {t("delete")}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
