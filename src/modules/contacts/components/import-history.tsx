"use client";

import { EmptyTableRow, ListFooter } from "@/components/shell/list-parts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useTRPC } from "@/lib/trpc/client";
import { EMPTY_COUNTS, ImportStatusBadge, LIVE_STATUSES, rejectedRowsHref } from "./import-format";

const PAGE_SIZE = 10;
const NUMBER_COLUMNS = ["processed", "inserted", "updated", "duplicates", "invalid"] as const;

/** "Importaciones recientes": every import of the workspace, newest first, paginated. */
export function ImportHistory() {
  const t = useTranslations("imports.history");
  const format = useFormatter();
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const imports = useQuery({
    ...trpc.imports.list.queryOptions({ page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    // Keep the counters of imports still running elsewhere moving.
    refetchInterval: (q) =>
      q.state.data?.rows.some((r) => LIVE_STATUSES.has(r.status)) ? 3000 : false,
  });
  const pages = Math.ceil((imports.data?.total ?? 0) / PAGE_SIZE);
  const headers = {
    processed: t("rows"),
    inserted: t("inserted"),
    updated: t("updated"),
    duplicates: t("duplicates"),
    invalid: t("invalid"),
  };

  return (
    <Card className="mt-6">
      <CardHeader>
        <CardTitle>
          <h2>{t("title")}</h2>
        </CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <Table aria-label={t("title")}>
          <TableHeader>
            <TableRow>
              <TableHead>{t("file")}</TableHead>
              <TableHead>{t("date")}</TableHead>
              <TableHead>{t("status")}</TableHead>
              {NUMBER_COLUMNS.map((key) => (
                <TableHead key={key} className="text-right">
                  {headers[key]}
                </TableHead>
              ))}
              <TableHead>{t("rejected")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {imports.data?.rows.map((imp) => {
              const counts = imp.counts ?? EMPTY_COUNTS;
              return (
                <TableRow key={imp.id}>
                  <TableCell className="max-w-64 truncate font-medium">
                    <Link
                      href={`/contacts/import/${imp.id}`}
                      className="underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none"
                      title={imp.fileName}
                    >
                      {imp.fileName}
                    </Link>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {format.dateTime(imp.createdAt, { dateStyle: "short", timeStyle: "short" })}
                  </TableCell>
                  <TableCell>
                    <ImportStatusBadge status={imp.status} dryRun={imp.dryRun} />
                  </TableCell>
                  {NUMBER_COLUMNS.map((key) => (
                    <TableCell key={key} className="text-right tabular-nums">
                      {imp.counts ? format.number(counts[key]) : "—"}
                    </TableCell>
                  ))}
                  <TableCell>
                    {counts.invalid > 0 && (
                      <a
                        href={rejectedRowsHref(imp.id)}
                        download
                        aria-label={t("rejectedLabel", { file: imp.fileName })}
                        className="inline-flex items-center gap-1 text-sm underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none"
                      >
                        <Download className="size-3.5" aria-hidden />
                        {t("rejectedLink")}
                      </a>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
            <EmptyTableRow show={imports.data?.rows.length === 0} colSpan={9}>
              {t("empty")}
            </EmptyTableRow>
          </TableBody>
        </Table>
        <ListFooter error={imports.error} page={page} pages={pages} onPageChange={setPage} />
      </CardContent>
    </Card>
  );
}
