import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/**
 * A dashboard panel: title, optional actions (CSV), and a body of fixed height that shows a
 * skeleton while loading, `empty` when there is nothing to draw and, when its query failed
 * with nothing to show (`onRetry` given), says so with a retry — no layout shift.
 */
export function ChartCard({
  title,
  description,
  actions,
  loading,
  empty,
  onRetry,
  children,
  className,
  bodyClassName = "h-64",
  testId,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
  loading: boolean;
  empty?: ReactNode;
  /** Set when the panel's query failed and it has no numbers to show. */
  onRetry?: () => void;
  children: ReactNode;
  className?: string;
  bodyClassName?: string;
  testId?: string;
}) {
  return (
    <Card className={className} data-testid={testId}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 flex-1 basis-48 space-y-1">
          <CardTitle>
            <h2>{title}</h2>
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </div>
        {actions}
      </CardHeader>
      <CardContent>
        <div className={cn("relative", bodyClassName)} aria-busy={loading}>
          {onRetry ? (
            <PanelError onRetry={onRetry} />
          ) : loading ? (
            <Skeleton className="h-full w-full" />
          ) : (
            (empty ?? children)
          )}
        </div>
      </CardContent>
    </Card>
  );
}

/** What a panel says when its numbers are all zero: what happened, and what to do next. */
export function PanelEmpty({ text }: { text: string }) {
  return (
    <div className="flex h-full items-center justify-center rounded-md border border-dashed p-4 text-center text-sm text-muted-foreground">
      {text}
    </div>
  );
}

/** A failure reason as shown: the provider's code, or "no code" for failures that had none. */
export function useReasonLabel() {
  const t = useTranslations("stats");
  return (code: string) => (code === "unknown" ? t("errors.noCode") : code);
}

/** A panel's `onRetry`: its query's refetch when the query failed with no numbers to show. */
export function retryIfFailed(query: { isError: boolean; data: unknown; refetch: () => unknown }) {
  return query.isError && query.data === undefined ? () => void query.refetch() : undefined;
}

/** What a panel says when its numbers could not be loaded (a failed or refused request). */
function PanelError({ onRetry }: { onRetry: () => void }) {
  const t = useTranslations("stats");
  return (
    <div
      role="alert"
      className="flex h-full flex-col items-center justify-center gap-2 rounded-md border border-dashed border-destructive/50 p-4 text-center text-sm text-destructive"
    >
      {t("loadError")}
      <Button type="button" variant="outline" size="sm" onClick={onRetry}>
        {t("retry")}
      </Button>
    </div>
  );
}
