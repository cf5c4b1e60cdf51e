"use client";

import { Ban, CheckCircle2, Download, FlaskConical, XCircle } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { Ref } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ImportView } from "../imports.schema";
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
  const { errorRefText } = useErrorMessage();
  const counts = view.counts ?? EMPTY_COUNTS;
  const { status } = view;

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
            </div>
          </div>
        )}

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

        <div className="flex flex-wrap gap-2 border-t pt-5">
          <Button asChild>
            <Link href="/contacts">{t("viewContacts")}</Link>
          </Button>
          {canWrite && (
            <Button variant="outline" asChild>
              <Link href="/contacts/import">{t("importAnother")}</Link>
            </Button>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
