"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useErrorMessage } from "@/lib/trpc/error-message";

/**
 * A card of the bot page listing recent things (tasks, log lines): a title with a link to
 * the full page, and the list's error, loading, empty or filled state.
 */
export function BotActivityCard({
  title,
  link,
  query,
  empty,
  skeletonClassName,
  children,
  after,
}: {
  title: string;
  link: { href: string; label: string };
  query: { isError: boolean; error: unknown; isPending: boolean; isEmpty: boolean };
  empty: ReactNode;
  skeletonClassName: string;
  children: ReactNode;
  /** Rendered after the card's content (e.g. a dialog the list opens). */
  after?: ReactNode;
}) {
  const { errorMessage } = useErrorMessage();
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
        <Button variant="outline" size="sm" asChild>
          <Link href={link.href}>{link.label}</Link>
        </Button>
      </CardHeader>
      <CardContent>
        {query.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(query.error)}
          </p>
        ) : query.isPending ? (
          <div className="grid gap-2" aria-busy>
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className={skeletonClassName} />
            ))}
          </div>
        ) : query.isEmpty ? (
          empty
        ) : (
          children
        )}
      </CardContent>
      {after}
    </Card>
  );
}
