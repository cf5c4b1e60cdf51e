"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
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
import { CampaignProgress, CampaignStatusBadge, LIVE_STATUSES } from "./campaign-format";

const PAGE_SIZE = 10;

/** A recurring campaign's runs, newest first: each firing's status, progress and counts. */
export function CampaignRuns({ campaignId }: { campaignId: string }) {
  const t = useTranslations("campaigns.runs");
  const format = useFormatter();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const list = useQuery({
    ...trpc.campaigns.list.queryOptions({ parentId: campaignId, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.rows.some((r) => LIVE_STATUSES.has(r.status)) ? 4000 : false,
  });
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">{t("title")}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        <Table aria-label={t("title")} aria-busy={list.isFetching}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("started")}</TableHead>
              <TableHead>{t("status")}</TableHead>
              <TableHead className="min-w-48">{t("progress")}</TableHead>
              <TableHead className="text-right">{t("sent")}</TableHead>
              <TableHead className="text-right">{t("failed")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.isPending &&
              Array.from({ length: 3 }, (_, i) => (
                <TableRow key={i}>
                  {Array.from({ length: 5 }, (__, j) => (
                    <TableCell key={j}>
                      <Skeleton className="h-4 w-20" />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            {rows.map((run) => (
              <TableRow key={run.id}>
                <TableCell className="font-medium">
                  <Link
                    href={`/campaigns/${run.id}`}
                    className="rounded-sm underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                  >
                    {format.dateTime(run.launchedAt ?? run.createdAt, {
                      dateStyle: "medium",
                      timeStyle: "short",
                    })}
                  </Link>
                </TableCell>
                <TableCell>
                  <CampaignStatusBadge status={run.status} reason={run.statusReason} />
                </TableCell>
                <TableCell>
                  <CampaignProgress name={run.name} counts={run.counts} compact />
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {format.number(run.counts.sent)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {format.number(run.counts.failed)}
                </TableCell>
              </TableRow>
            ))}
            <EmptyTableRow show={list.data?.rows.length === 0} colSpan={5}>
              {t("empty")}
            </EmptyTableRow>
          </TableBody>
        </Table>
        <ListFooter
          error={list.error}
          page={page}
          pages={Math.ceil(total / PAGE_SIZE)}
          onPageChange={setPage}
        />
      </CardContent>
    </Card>
  );
}
