"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";

const PAGE_SIZE = 25;
const ALL = "__all";

function describeChange(before: unknown, after: unknown): string {
  const fmt = (v: unknown) =>
    v && typeof v === "object"
      ? Object.entries(v)
          .map(([k, x]) => `${k}: ${String(x)}`)
          .join(", ")
      : "";
  const b = fmt(before);
  const a = fmt(after);
  return b && a ? `${b} → ${a}` : b || a;
}

export function AuditTable() {
  const t = useTranslations("audit");
  const format = useFormatter();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState(ALL);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const actions = useQuery(trpc.audit.actions.queryOptions());
  // Codes stay as they are stored; people read the label (an unknown code shows as is).
  const actionLabel = (code: string) => {
    const key = `actionLabels.${code}` as Parameters<typeof t>[0];
    return t.has(key) ? t(key) : code;
  };
  const log = useQuery({
    ...trpc.audit.list.queryOptions({
      page,
      pageSize: PAGE_SIZE,
      action: action === ALL ? undefined : action,
      from: from ? new Date(`${from}T00:00:00`) : undefined,
      to: to ? new Date(`${to}T23:59:59.999`) : undefined,
    }),
    placeholderData: keepPreviousData,
  });
  const pages = Math.ceil((log.data?.total ?? 0) / PAGE_SIZE);
  const reset =
    <T,>(set: (v: T) => void) =>
    (v: T) => (set(v), setPage(1));

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="flex flex-wrap items-end gap-3">
          <div className="grid gap-1.5">
            <Label>{t("action")}</Label>
            <Select value={action} onValueChange={reset(setAction)}>
              <SelectTrigger className="w-56" aria-label={t("action")}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t("allActions")}</SelectItem>
                {actions.data?.map((a) => (
                  <SelectItem key={a} value={a}>
                    {actionLabel(a)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-from">{t("from")}</Label>
            <Input
              id="audit-from"
              type="date"
              value={from}
              onChange={(e) => reset(setFrom)(e.target.value)}
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-to">{t("to")}</Label>
            <Input
              id="audit-to"
              type="date"
              value={to}
              onChange={(e) => reset(setTo)(e.target.value)}
            />
          </div>
        </div>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("when")}</TableHead>
              <TableHead>{t("actor")}</TableHead>
              <TableHead>{t("action")}</TableHead>
              <TableHead>{t("target")}</TableHead>
              <TableHead>{t("change")}</TableHead>
              <TableHead>{t("origin")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {log.data?.rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell className="whitespace-nowrap">
                  {format.dateTime(r.createdAt, { dateStyle: "short", timeStyle: "medium" })}
                </TableCell>
                <TableCell>{r.actorEmail ?? r.actorLabel ?? "—"}</TableCell>
                <TableCell>
                  <span title={r.action}>{actionLabel(r.action)}</span>
                </TableCell>
                <TableCell className="text-xs">
                  {r.targetType ? `${r.targetType}:${r.targetId?.slice(0, 8)}` : "—"}
                </TableCell>
                <TableCell
                  className="max-w-80 truncate text-xs"
                  title={describeChange(r.before, r.after)}
                >
                  {describeChange(r.before, r.after)}
                </TableCell>
                <TableCell className="max-w-48 truncate text-xs" title={r.userAgent ?? undefined}>
                  {r.ip ?? "—"}
                </TableCell>
              </TableRow>
            ))}
            <EmptyTableRow show={log.data?.rows.length === 0} colSpan={6}>
              {t("empty")}
            </EmptyTableRow>
          </TableBody>
        </Table>
        <ListFooter error={log.error} page={page} pages={pages} onPageChange={setPage} />
      </CardContent>
    </Card>
  );
}
