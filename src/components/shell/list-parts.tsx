"use client";

import { useEffect, type ReactNode } from "react";
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

/**
 * Under a list: the query's error, if any, and the pager when there is more than one page. A
 * page past the last one (its rows deleted, finished or filtered away meanwhile, or an old
 * link) moves to the last page there is; the pager stays while the page is not the first, so
 * there is always a way back.
 */
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
  const pageCount = Math.max(pages, page);
  const labels = usePaginationLabels(page, pageCount);
  useEffect(() => {
    // `pages` is 0 until the list has loaded: nothing to compare with yet.
    if (pages >= 1 && page > pages) onPageChange(pages);
  }, [page, pages, onPageChange]);
  return (
    <>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(error)}
        </p>
      ) : null}
      {pageCount > 1 && (
        <PaginationBar
          page={page}
          pageCount={pageCount}
          labels={labels}
          onPageChange={onPageChange}
        />
      )}
    </>
  );
}
