"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import type { ImportView } from "../imports.schema";
import { LIVE_STATUSES } from "./import-format";
import { ImportMapping } from "./import-mapping";
import { ImportProgress } from "./import-progress";
import { ImportResult } from "./import-result";
import { ImportSteps, type ImportStep } from "./import-steps";

type Terminal = ImportView & { status: "completed" | "failed" | "canceled" };

function stepOf(view: ImportView): ImportStep {
  if (view.status === "uploaded") return "mapping";
  return LIVE_STATUSES.has(view.status) ? "progress" : "result";
}

/**
 * Steps 2–4 for one uploaded file. The `imports.get` cache entry is the single source of
 * truth: the upload seeds it, `start`/`cancel` replace it and the progress subscription
 * writes every pushed view into it; the step shown follows its status.
 */
export function ImportRun({ importId, canWrite }: { importId: string; canWrite: boolean }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("imports");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [liveLost, setLiveLost] = useState(false);
  const getKey = trpc.imports.get.queryKey({ importId });
  const imp = useQuery({
    ...trpc.imports.get.queryOptions({ importId }),
    // Polling is only the fallback for a dropped live stream.
    refetchInterval: (q) =>
      liveLost && q.state.data && LIVE_STATUSES.has(q.state.data.status) ? 3000 : false,
  });
  const view = imp.data;
  const live = !!view && LIVE_STATUSES.has(view.status);

  useSubscription(
    trpc.imports.progress.subscriptionOptions(
      { importId },
      {
        enabled: live,
        onData: (next) => {
          setLiveLost(false);
          queryClient.setQueryData(getKey, next);
          // The history table below shows the same import: move its counters too.
          queryClient.setQueriesData<{ rows: ImportView[]; total: number }>(
            { queryKey: trpc.imports.list.queryKey() },
            (page) =>
              page && { ...page, rows: page.rows.map((r) => (r.id === next.id ? next : r)) },
          );
        },
        onError: () => setLiveLost(true),
      },
    ),
  );

  // Move focus to the new step's heading when the step changes in place (not on first load).
  const step = view ? stepOf(view) : null;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (step && shownStep.current && shownStep.current !== step) headingRef.current?.focus();
    shownStep.current = step;
  }, [step]);

  // A finished import changes the history below and the contacts list.
  const status = view?.status;
  useEffect(() => {
    if (status && !LIVE_STATUSES.has(status) && status !== "uploaded") {
      void queryClient.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.contacts.pathKey() });
    }
  }, [status, queryClient, trpc]);

  if (imp.isError) {
    const missing = imp.error.data?.code === "NOT_FOUND";
    return (
      <EmptyState
        title={missing ? t("notFound") : errorMessage(imp.error)}
        action={
          <Button variant="outline" asChild>
            <Link href="/contacts/import">{t("result.importAnother")}</Link>
          </Button>
        }
      />
    );
  }
  if (!view || !step) {
    return (
      <div className="space-y-4" aria-busy>
        <Skeleton className="h-6 w-80" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }

  return (
    <>
      <ImportSteps current={step} />
      {step === "mapping" && view.detected && (
        <ImportMapping
          view={{ ...view, detected: view.detected }}
          canWrite={canWrite}
          headingRef={headingRef}
        />
      )}
      {step === "progress" && (
        <ImportProgress
          view={view}
          canWrite={canWrite}
          liveLost={liveLost}
          headingRef={headingRef}
        />
      )}
      {step === "result" && (
        <ImportResult view={view as Terminal} canWrite={canWrite} headingRef={headingRef} />
      )}
    </>
  );
}
