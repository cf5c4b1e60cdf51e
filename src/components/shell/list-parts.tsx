"use client";

import type { ReactNode } from "react";
import { PaginationBar } from "@/components/ui/pagination-bar";
import { TableCell, TableRow } from "@/components/ui/table";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { usePaginationLabels } from "./use-pagination-labels";

/** The row a server-paginated table shows when the page came back empty. */
export function EmptyTableRow({
  show,
  colSpan,
  children,
}: {
  show: boolean;
  colSpan: number;
  children: ReactNode;
}) {
  if (!show) return null;
  return (
    <TableRow>
      <TableCell colSpan={colSpan} className="py-8 text-center text-muted-foreground">
        {children}
      </TableCell>
    </TableRow>
  );
}

/** Under a list: the query's error, if any, and the pager when there is more than one page. */
export function ListFooter({
  error,
  page,
  pages,
  onPageChange,
}: {
  error: unknown;
  page: number;
  pages: number;
  onPageChange: (page: number) => void;
}) {
  const { errorMessage } = useErrorMessage();
  const labels = usePaginationLabels(page, pages);
  return (
    <>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(error)}
        </p>
      ) : null}
      {pages > 1 && (
        <PaginationBar page={page} pageCount={pages} labels={labels} onPageChange={onPageChange} />
      )}
    </>
  );
}
