"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, CheckCircle2, Download, FlaskConical, Play, XCircle } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import type { Ref } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ImportView } from "../imports.schema";
import { ImportChanges } from "./import-changes";
import { EMPTY_COUNTS, ImportCountsList, rejectedRowsHref } from "./import-format";

const ICONS = {
  completed: <CheckCircle2 className="size-5 text-success" aria-hidden />,
  failed: <XCircle className="size-5 text-destructive" aria-hidden />,
  canceled: <Ban className="size-5 text-muted-foreground" aria-hidden />,
};

/** Step 4: how it ended, the final counters, the rejected rows and where to go next. */
export function ImportResult({
  view,
  canWrite,
  headingRef,
}: {
  view: ImportView & { status: "completed" | "failed" | "canceled" };
  canWrite: boolean;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const t = useTranslations("imports.result");
  const mapping = useTranslations("imports.mapping");
  const { errorRefText, errorMessage } = useErrorMessage();
  const counts = view.counts ?? EMPTY_COUNTS;
  const { status } = view;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const runForReal = useMutation(
    trpc.imports.runForReal.mutationOptions({
      onSuccess: (real) => {
        queryClient.setQueryData(trpc.imports.get.queryKey({ importId: real.id }), real);
        void queryClient.invalidateQueries({ queryKey: trpc.imports.pathKey() });
        router.push(`/contacts/import/${real.id}`);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {ICONS[status]}
          <h2 ref={headingRef} tabIndex={-1} className="outline-none">
            {t(status)}
          </h2>
        </CardTitle>
        <CardDescription className="space-y-1">
          <span className="block">
            {view.fileName} — {t(`${status}Body`, { count: counts.processed })}
          </span>
          {status === "failed" && (view.error || view.errorMessage) && (
            <span className="block text-destructive">
              {t("detail", {
                message: view.error ? errorRefText(view.error) : view.errorMessage!,
              })}
            </span>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {view.dryRun && (
          <div
            role="note"
            className="flex gap-3 rounded-lg border border-warning/50 bg-warning/10 p-4 text-sm"
          >
            <FlaskConical className="mt-0.5 size-4 shrink-0" aria-hidden />
            <div>
              <p className="font-medium">{t("dryRunTitle")}</p>
              <p className="text-muted-foreground">{t("dryRunBody")}</p>
              {view.realRunId && (
                <Link
                  href={`/contacts/import/${view.realRunId}`}
                  className="mt-1 inline-block underline underline-offset-4"
                >
                  {t("realRunLink")}
                </Link>
              )}
            </div>
          </div>
        )}
        {view.dryRunId && (
          <Link
            href={`/contacts/import/${view.dryRunId}`}
            className="inline-block text-sm underline underline-offset-4"
          >
            {t("dryRunLink")}
          </Link>
        )}

        <p className="text-sm">
          <span className="text-muted-foreground">{t("mode")}:</span>{" "}
          <span className="font-medium">{mapping(`mode_${view.mode}`)}</span>
        </p>

        <ImportCountsList counts={counts} />

        {counts.invalid > 0 && (
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="outline" asChild>
              <a href={rejectedRowsHref(view.id)} download>
                <Download aria-hidden />
                {t("rejected")}
              </a>
            </Button>
            <p className="text-xs text-muted-foreground">{t("rejectedHint")}</p>
          </div>
        )}

        {status === "completed" && <ImportChanges view={view} />}

        <div className="flex flex-wrap items-center gap-2 border-t pt-5">
          {canWrite && view.canRunForReal && (
            <Button
              onClick={() => runForReal.mutate({ importId: view.id })}
              disabled={runForReal.isPending}
              aria-describedby="import-run-for-real-hint"
            >
              <Play aria-hidden />
              {runForReal.isPending ? t("runningForReal") : t("runForReal")}
            </Button>
          )}
          <Button variant={canWrite && view.canRunForReal ? "outline" : "default"} asChild>
            <Link href="/contacts">{t("viewContacts")}</Link>
          </Button>
          {canWrite && (
            <Button variant="outline" asChild>
              <Link href="/contacts/import">{t("importAnother")}</Link>
            </Button>
          )}
          {canWrite && view.canRunForReal && (
            <p id="import-run-for-real-hint" className="basis-full text-xs text-muted-foreground">
              {t("runForRealHint")}
            </p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
