"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Megaphone, Plus } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
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
import { useTRPC } from "@/lib/trpc/client";
import { CAMPAIGN_STATUSES } from "../campaigns.schema";
import type { CampaignsListFilters } from "./campaigns-url";
import {
  CampaignProgress,
  CampaignStatusBadge,
  LIVE_STATUSES,
  type CampaignStatus,
} from "./campaign-format";

const PAGE_SIZE = 20;
const ALL = "__all";

/** Every campaign, newest first: status, progress and creation date; filter by status. */
export function CampaignsView({ initial }: { initial: CampaignsListFilters }) {
  const t = useTranslations("campaigns");
  const format = useFormatter();
  const trpc = useTRPC();
  const [filters, setFilters] = useState(initial);

  // Reload keeps the view: the filter and page live in the URL.
  useEffect(() => {
    const q = new URLSearchParams();
    if (filters.status) q.set("status", filters.status);
    if (filters.page > 1) q.set("page", String(filters.page));
    const qs = q.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }, [filters]);

  const access = useQuery(trpc.workspaces.current.queryOptions());
  const canWrite = access.data?.permissions.includes("campaigns:write") ?? false;
  const list = useQuery({
    ...trpc.campaigns.list.queryOptions({
      page: filters.page,
      pageSize: PAGE_SIZE,
      status: filters.status ?? undefined,
    }),
    placeholderData: keepPreviousData,
    // Running campaigns move: refresh their bars while the list is open.
    refetchInterval: (q) =>
      q.state.data?.rows.some((r) => LIVE_STATUSES.has(r.status)) ? 4000 : false,
  });

  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const workspaceEmpty = list.data && total === 0 && !filters.status;
  const newCampaign = canWrite && (
    <Button asChild>
      <Link href="/campaigns/new">
        <Plus aria-hidden />
        {t("newCampaign")}
      </Link>
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={!workspaceEmpty && newCampaign}
      />
      {access.data && !canWrite && (
        <p className="mb-4 text-sm text-muted-foreground" role="note">
          {t("readOnly")}
        </p>
      )}
      {workspaceEmpty ? (
        <EmptyState
          icon={<Megaphone />}
          title={t("empty.title")}
          description={
            canWrite ? t("empty.body", { example: "{{nombre}}" }) : t("empty.readOnlyBody")
          }
          action={newCampaign}
        />
      ) : (
        <Card>
          <CardContent className="space-y-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <Select
                value={filters.status ?? ALL}
                onValueChange={(v) =>
                  setFilters({ page: 1, status: v === ALL ? null : (v as CampaignStatus) })
                }
              >
                <SelectTrigger className="w-52" aria-label={t("filters.status")}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={ALL}>{t("filters.allStatuses")}</SelectItem>
                  {CAMPAIGN_STATUSES.map((s) => (
                    <SelectItem key={s} value={s}>
                      {t(`status.${s}`)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {list.data && t("count", { count: total })}
              </p>
            </div>
            <Table aria-label={t("table.label")} aria-busy={list.isFetching}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("columns.name")}</TableHead>
                  <TableHead>{t("columns.status")}</TableHead>
                  <TableHead className="min-w-48">{t("columns.progress")}</TableHead>
                  <TableHead className="text-right">{t("columns.recipients")}</TableHead>
                  <TableHead>{t("columns.createdAt")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.isPending &&
                  Array.from({ length: 4 }, (_, i) => (
                    <TableRow key={i}>
                      {Array.from({ length: 5 }, (__, j) => (
                        <TableCell key={j}>
                          <Skeleton className="h-4 w-24" />
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                {rows.map((c) => (
                  <TableRow key={c.id}>
                    <TableCell className="max-w-72 min-w-40 font-medium break-words whitespace-normal">
                      <Link
                        href={`/campaigns/${c.id}`}
                        className="rounded-sm underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                        title={c.name}
                      >
                        {c.name}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <CampaignStatusBadge
                        status={c.status}
                        reason={c.statusReason}
                        showReason={false}
                      />
                    </TableCell>
                    <TableCell>
                      {c.status === "draft" ? (
                        <span className="text-muted-foreground">—</span>
                      ) : (
                        <CampaignProgress name={c.name} counts={c.counts} compact />
                      )}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {c.status === "draft" ? "—" : format.number(c.counts.total)}
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      {format.dateTime(c.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                    </TableCell>
                  </TableRow>
                ))}
                <EmptyTableRow show={list.data?.rows.length === 0} colSpan={5}>
                  {t("empty.noMatches")}
                </EmptyTableRow>
              </TableBody>
            </Table>
            <ListFooter
              error={list.error}
              page={filters.page}
              pages={Math.ceil(total / PAGE_SIZE)}
              onPageChange={(page) => setFilters((f) => ({ ...f, page }))}
            />
          </CardContent>
        </Card>
      )}
    </>
  );
}
