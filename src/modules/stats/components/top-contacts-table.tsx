"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { PaginationBar } from "@/components/ui/pagination-bar";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { ChartCard, PanelEmpty, retryIfFailed } from "./chart-card";
import { CsvDownload } from "./csv-download";

const PAGE_SIZE = 10;
type Sort = "sent" | "failed" | "lastAt";
type Scope = "range" | "all";

/**
 * Contacts with the most sends (or failures, or the latest activity) over the dashboard's
 * range, or all time.
 */
export function TopContactsTable({
  groupId,
  from,
  to,
}: {
  groupId?: string;
  from: string;
  to: string;
}) {
  const t = useTranslations("stats");
  const format = useFormatter();
  const trpc = useTRPC();
  const [sort, setSort] = useState<Sort>("sent");
  const [page, setPage] = useState(1);
  const [scope, setScope] = useState<Scope>("range");
  // Another range or group starts again at page 1 (its rows may not reach this page).
  const filterKey = `${from}|${to}|${groupId ?? ""}`;
  const [pageFor, setPageFor] = useState(filterKey);
  if (pageFor !== filterKey) {
    setPageFor(filterKey);
    setPage(1);
  }
  const period = scope === "range" ? { from, to } : {};
  const query = useQuery({
    ...trpc.stats.byContact.queryOptions({ limit: PAGE_SIZE, page, sort, groupId, ...period }),
    placeholderData: keepPreviousData,
  });
  const { data, isPending, isPlaceholderData } = query;
  const rows = data?.rows ?? [];
  const sortButton = (key: Sort, label: string) => (
    <Button
      variant="ghost"
      size="sm"
      className="-ml-3"
      aria-pressed={sort === key}
      onClick={() => (setSort(key), setPage(1))}
    >
      {label}
      {sort === key && <ArrowDown aria-hidden />}
    </Button>
  );
  const scopeButton = (key: Scope) => (
    <Button
      variant={scope === key ? "secondary" : "ghost"}
      size="sm"
      aria-pressed={scope === key}
      onClick={() => (setScope(key), setPage(1))}
    >
      {t(`contacts.scope.${key}`)}
    </Button>
  );
  const pageCount = Math.ceil(Math.min(data?.total ?? 0, PAGE_SIZE * 1000) / PAGE_SIZE);
  return (
    <ChartCard
      title={t("contacts.title")}
      description={scope === "range" ? t("contacts.body") : t("contacts.bodyAll")}
      loading={isPending}
      onRetry={retryIfFailed(query)}
      className="lg:col-span-3"
      bodyClassName="min-h-[28rem]"
      testId="table-contacts"
      empty={
        rows.length === 0 ? (
          <PanelEmpty text={scope === "range" ? t("contacts.emptyRange") : t("contacts.empty")} />
        ) : undefined
      }
      actions={
        <div className="flex flex-wrap items-center justify-end gap-1">
          <div role="group" aria-label={t("contacts.scope.label")} className="flex gap-1">
            {scopeButton("range")}
            {scopeButton("all")}
          </div>
          <CsvDownload
            fileName={
              scope === "range"
                ? `top-contacts-${from}-${to}-${sort}-p${page}.csv`
                : `top-contacts-${sort}-p${page}.csv`
            }
            header={[
              t("csvHeader.contact"),
              t("csvHeader.phone"),
              t("csvHeader.group"),
              t("status.sent"),
              t("status.failed"),
              t("csvHeader.lastAt"),
            ]}
            rows={rows.map((r) => [
              r.name,
              r.phone,
              r.groupName,
              r.sent,
              r.failed,
              r.lastAt.toISOString(),
            ])}
          />
        </div>
      }
    >
      <div className="space-y-3">
        <Table aria-busy={isPlaceholderData}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("csvHeader.contact")}</TableHead>
              <TableHead>{t("csvHeader.group")}</TableHead>
              <TableHead className="text-right">{sortButton("sent", t("status.sent"))}</TableHead>
              <TableHead className="text-right">
                {sortButton("failed", t("status.failed"))}
              </TableHead>
              <TableHead>{sortButton("lastAt", t("csvHeader.lastAt"))}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.contactId}>
                <TableCell>
                  <div className="font-medium">{r.name ?? "—"}</div>
                  <div className="text-xs text-muted-foreground tabular-nums">{r.phone}</div>
                </TableCell>
                <TableCell>{r.groupName ?? "—"}</TableCell>
                <TableCell className="text-right tabular-nums">{format.number(r.sent)}</TableCell>
                <TableCell className="text-right tabular-nums">{format.number(r.failed)}</TableCell>
                <TableCell className="tabular-nums">
                  <time dateTime={r.lastAt.toISOString()}>
                    {format.dateTime(r.lastAt, { dateStyle: "medium", timeStyle: "short" })}
                  </time>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <PaginationBar
          page={page}
          pageCount={pageCount}
          onPageChange={setPage}
          disabled={isPlaceholderData}
          labels={{
            previous: t("previous"),
            next: t("next"),
            status: t("pageStatus", { page, pageCount: Math.max(pageCount, 1) }),
          }}
        />
      </div>
    </ChartCard>
  );
}
