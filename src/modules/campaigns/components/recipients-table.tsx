"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Download } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { EmptyTableRow } from "@/components/shell/list-parts";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatPhone } from "@/lib/phone-format";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { RECIPIENT_STATUSES } from "../campaigns.schema";
import { RecipientStatusBadge, useReasonText, type RecipientStatus } from "./campaign-format";

const PAGE_SIZE = 50;
const ALL = "__all";
const COLUMNS = 8;

export const recipientsExportHref = (campaignId: string, status: RecipientStatus | null) =>
  `/api/campaigns/${campaignId}/recipients/export${status ? `?status=${status}` : ""}`;

/** Every recipient of the campaign, a page at a time (previous/next), with a status filter and a CSV export. */
export function RecipientsTable({
  campaignId,
  live,
  launched,
}: {
  campaignId: string;
  live: boolean;
  launched: boolean;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns");
  const common = useTranslations("common");
  const format = useFormatter();
  const reasonText = useReasonText();
  const trpc = useTRPC();
  const [status, setStatus] = useState<RecipientStatus | null>(null);
  const [page, setPage] = useState(1);
  const list = useQuery({
    ...trpc.campaigns.recipients.queryOptions({
      campaignId,
      status: status ?? undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    placeholderData: keepPreviousData,
    enabled: launched,
    refetchInterval: live ? 5000 : false,
  });
  const rows = list.data?.rows ?? [];
  const dateTime = (d: Date | null) =>
    d ? format.dateTime(d, { dateStyle: "short", timeStyle: "medium" }) : "—";

  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>
          <h2>{t("recipients.title")}</h2>
        </CardTitle>
        <CardAction>
          <Button variant="outline" size="sm" asChild>
            <a
              href={recipientsExportHref(campaignId, status)}
              download
              title={t("recipients.exportHint")}
            >
              <Download aria-hidden />
              {t("recipients.export")}
            </a>
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="space-y-4">
        <Select
          value={status ?? ALL}
          onValueChange={(v) => (setStatus(v === ALL ? null : (v as RecipientStatus)), setPage(1))}
        >
          <SelectTrigger className="w-52" aria-label={t("recipients.status")}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t("recipients.allStatuses")}</SelectItem>
            {RECIPIENT_STATUSES.map((s) => (
              <SelectItem key={s} value={s}>
                {t(`recipientStatus.${s}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Table aria-label={t("recipients.label")} aria-busy={list.isFetching}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("columns.phone")}</TableHead>
              <TableHead>{t("columns.contact")}</TableHead>
              <TableHead>{t("columns.group")}</TableHead>
              <TableHead>{t("columns.template")}</TableHead>
              <TableHead>{t("columns.status")}</TableHead>
              <TableHead>{t("columns.reason")}</TableHead>
              <TableHead className="text-right">{t("columns.attempts")}</TableHead>
              <TableHead>{t("columns.updatedAt")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {launched &&
              list.isPending &&
              Array.from({ length: 5 }, (_, i) => (
                <TableRow key={i}>
                  {Array.from({ length: COLUMNS }, (__, j) => (
                    <TableCell key={j}>
                      <Skeleton className="h-4 w-20" />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            {rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell className="font-mono text-xs tabular-nums" title={r.phone}>
                  {formatPhone(r.phone)}
                </TableCell>
                <TableCell className="max-w-48 truncate">{r.nombre ?? "—"}</TableCell>
                <TableCell className="max-w-40 truncate text-muted-foreground">
                  {r.groupName ?? "—"}
                </TableCell>
                <TableCell className="tabular-nums">
                  {t("recipients.templateN", { n: r.templateIndex + 1 })}
                </TableCell>
                <TableCell>
                  <RecipientStatusBadge status={r.status} />
                </TableCell>
                <TableCell
                  className="max-w-64 truncate text-xs text-muted-foreground"
                  title={r.errorCode ?? undefined}
                >
                  {reasonText(r.errorCode) ?? "—"}
                </TableCell>
                <TableCell className="text-right tabular-nums">{r.attempts}</TableCell>
                <TableCell className="text-xs text-muted-foreground tabular-nums">
                  {dateTime(r.updatedAt)}
                </TableCell>
              </TableRow>
            ))}
            <EmptyTableRow show={!launched || list.data?.rows.length === 0} colSpan={COLUMNS}>
              {launched ? t("recipients.empty") : t("recipients.notYet")}
            </EmptyTableRow>
          </TableBody>
        </Table>
        {list.isError && (
          <p role="alert" className="text-sm text-destructive">
            {t("recipients.loadError")} {errorMessage(list.error)}
          </p>
        )}
        {(page > 1 || list.data?.hasMore) && (
          <nav
            className="flex items-center justify-between gap-2"
            aria-label={t("recipients.title")}
          >
            <Button
              variant="outline"
              size="sm"
              disabled={page <= 1}
              onClick={() => setPage((p) => p - 1)}
            >
              <ChevronLeft aria-hidden />
              {common("previous")}
            </Button>
            <span className="text-sm text-muted-foreground tabular-nums" aria-live="polite">
              {t("recipients.page", { page })}
            </span>
            <Button
              variant="outline"
              size="sm"
              disabled={!list.data?.hasMore || list.isPlaceholderData}
              onClick={() => setPage((p) => p + 1)}
            >
              {common("next")}
              <ChevronRight aria-hidden />
            </Button>
          </nav>
        )}
      </CardContent>
    </Card>
  );
}
