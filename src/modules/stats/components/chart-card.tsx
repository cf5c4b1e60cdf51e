import type { ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

/**
 * A dashboard panel: title, optional actions (CSV), and a body of fixed height that shows a
 * skeleton while loading and `empty` when there is nothing to draw — no layout shift.
 */
export function ChartCard({
  title,
  description,
  actions,
  loading,
  empty,
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
          {loading ? <Skeleton className="h-full w-full" /> : (empty ?? children)}
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
