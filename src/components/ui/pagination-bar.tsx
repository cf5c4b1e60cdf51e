import * as React from "react";
import Link from "next/link";
import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";

import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";

type PaginationBarLabels = {
  previous: string;
  next: string;
  /** Already formatted by the caller, e.g. t("pagination.status", { page, pageCount }). */
  status: string;
  /** Accessible name of the surrounding `<nav>`. */
  navigation?: string;
};

type PaginationBarProps = {
  /** 1-based current page. */
  page: number;
  pageCount: number;
  labels: PaginationBarLabels;
  /** Client-side paging (tables fed by tRPC queries). */
  onPageChange?: (page: number) => void;
  /** Link-based paging (server components, URL search params); wins over `onPageChange`. */
  getHref?: (page: number) => string;
  disabled?: boolean;
  className?: string;
};

function PaginationBar({
  page,
  pageCount,
  labels,
  onPageChange,
  getHref,
  disabled = false,
  className,
}: PaginationBarProps) {
  const lastPage = Math.max(pageCount, 1);
  const hasPrevious = !disabled && page > 1;
  const hasNext = !disabled && page < lastPage;

  const renderStep = (target: number, enabled: boolean, label: string, icon: React.ReactNode) => {
    const content =
      target < page ? (
        <>
          {icon}
          <span>{label}</span>
        </>
      ) : (
        <>
          <span>{label}</span>
          {icon}
        </>
      );

    if (getHref && enabled) {
      return (
        <Button variant="outline" size="sm" asChild>
          <Link href={getHref(target)} rel={target < page ? "prev" : "next"} scroll={false}>
            {content}
          </Link>
        </Button>
      );
    }
    return (
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={!enabled}
        onClick={enabled ? () => onPageChange?.(target) : undefined}
      >
        {content}
      </Button>
    );
  };

  return (
    <nav
      data-slot="pagination-bar"
      aria-label={labels.navigation}
      className={cn("flex items-center justify-between gap-2", className)}
    >
      {renderStep(page - 1, hasPrevious, labels.previous, <ChevronLeftIcon aria-hidden />)}
      <span className="text-sm text-muted-foreground tabular-nums" aria-live="polite">
        {labels.status}
      </span>
      {renderStep(page + 1, hasNext, labels.next, <ChevronRightIcon aria-hidden />)}
    </nav>
  );
}

export { PaginationBar, type PaginationBarProps, type PaginationBarLabels };
