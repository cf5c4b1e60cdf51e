"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type Ref } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import type { ImportView } from "../imports.schema";
import {
  EMPTY_COUNTS,
  ImportCountsList,
  ImportStatusBadge,
  useFormatDuration,
} from "./import-format";

/** Step 3: live counters (pushed by the `imports.progress` subscription) and a cancel button. */
export function ImportProgress({
  view,
  canWrite,
  liveLost,
  headingRef,
}: {
  view: ImportView;
  canWrite: boolean;
  /** The live stream failed and the page fell back to polling. */
  liveLost: boolean;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("imports.progress");
  const format = useFormatter();
  const formatDuration = useFormatDuration();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cancelRequested, setCancelRequested] = useState(false);
  const counts = view.counts ?? EMPTY_COUNTS;
  const queued = view.status === "queued";
  // Rows done out of the file's rows (counted at upload); older uploads: bytes read.
  const fraction = view.fraction ?? 0;
  const percent = format.number(fraction, { style: "percent" });
  const totalKnown = counts.total > 0;

  const cancel = useMutation(
    trpc.imports.cancel.mutationOptions({
      onSuccess: (next) => {
        setCancelRequested(true);
        queryClient.setQueryData(trpc.imports.get.queryKey({ importId: next.id }), next);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  return (
    <Card aria-busy>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <h2 ref={headingRef} tabIndex={-1} className="min-w-0 truncate outline-none">
            {t("title", { file: view.fileName })}
          </h2>
          <ImportStatusBadge status={view.status} dryRun={view.dryRun} />
        </CardTitle>
        <CardDescription>
          {queued ? t("queued") : view.dryRun ? t("dryRunning") : t("running")}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <div className="space-y-2">
          <ProgressBar
            value={queued ? undefined : fraction * 100}
            label={t("bar")}
            valueText={totalKnown ? t("rowsBarValue", { percent }) : t("barValue", { percent })}
          />
          <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
            <div className="flex gap-2">
              <dt className="text-muted-foreground">{t("rows")}:</dt>
              <dd className="font-medium tabular-nums">
                {totalKnown
                  ? t("rowsValue", {
                      done: format.number(counts.processed),
                      total: format.number(counts.total),
                    })
                  : format.number(counts.processed)}{" "}
                ({percent})
              </dd>
            </div>
            <div className="flex gap-2">
              <dt className="text-muted-foreground">{t("rate")}:</dt>
              <dd className="font-medium tabular-nums">
                {view.rate != null ? t("rateValue", { rate: view.rate }) : "—"}
              </dd>
            </div>
            <div className="flex gap-2">
              <dt className="text-muted-foreground">{t("eta")}:</dt>
              <dd className="font-medium tabular-nums">
                {view.etaSeconds != null ? formatDuration(view.etaSeconds) : t("etaUnknown")}
              </dd>
            </div>
          </dl>
        </div>

        <ImportCountsList counts={counts} live />

        {liveLost && (
          <p role="status" className="text-sm text-muted-foreground">
            {t("reconnecting")}
          </p>
        )}
        {cancelRequested && (
          <p role="status" className="text-sm text-muted-foreground">
            {t("cancelRequested")}
          </p>
        )}

        {canWrite && (
          <div className="flex justify-end border-t pt-5">
            <ConfirmDialog
              trigger={
                <Button variant="outline" disabled={cancelRequested || cancel.isPending}>
                  {cancelRequested || cancel.isPending ? t("canceling") : t("cancel")}
                </Button>
              }
              title={t("confirmTitle")}
              description={t("confirmBody")}
              cancelLabel={t("confirmKeep")}
              confirmLabel={t("confirmCancel")}
              onConfirm={() => cancel.mutate({ importId: view.id })}
            />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
