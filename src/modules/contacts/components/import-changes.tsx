"use client";

import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { formatPhone } from "@/lib/phone-format";
import { useTRPC } from "@/lib/trpc/client";
import type { ImportView } from "../imports.schema";

const SAMPLE = 20;

export const importChangesHref = (importId: string) => `/api/contacts/imports/${importId}/changes`;

/**
 * What an import changed (or, for a dry run, would change) on contacts that already existed:
 * the first changes field by field, and the whole list as a CSV download.
 */
export function ImportChanges({ view }: { view: ImportView }) {
  const t = useTranslations("imports.result");
  const format = useFormatter();
  const trpc = useTRPC();
  const total = view.counts?.changes ?? 0;
  const listed = view.counts?.changesListed ?? 0;
  const changes = useQuery({
    ...trpc.imports.changes.queryOptions({ importId: view.id, limit: SAMPLE }),
    enabled: total > 0,
  });
  const fieldName = (field: string) =>
    field === "nombre" || field === "sustantivo"
      ? t(`field_${field}`)
      : t("fieldAttribute", { key: field.replace(/^attributes\./, "") });

  return (
    <section aria-labelledby="import-changes-title" className="space-y-3">
      <h3 id="import-changes-title" className="font-medium">
        {view.dryRun ? t("changesTitleDry") : t("changesTitle")}
      </h3>
      {total === 0 ? (
        <p className="text-sm text-muted-foreground">{t("changesNone")}</p>
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border">
            <Table>
              <TableCaption className="mt-0 border-t py-2">
                {t("changesCaption", {
                  count: changes.data?.length ?? Math.min(SAMPLE, listed),
                  total: format.number(total),
                })}
              </TableCaption>
              <TableHeader>
                <TableRow>
                  <TableHead scope="col">{t("colPhone")}</TableHead>
                  <TableHead scope="col">{t("colField")}</TableHead>
                  <TableHead scope="col">{t("colBefore")}</TableHead>
                  <TableHead scope="col">{t("colAfter")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {changes.data?.map((c) => (
                  <TableRow key={c.id}>
                    <TableCell className="whitespace-nowrap tabular-nums">
                      {formatPhone(c.phone)}
                    </TableCell>
                    <TableCell>{fieldName(c.field)}</TableCell>
                    <TableCell
                      className="max-w-64 truncate text-muted-foreground"
                      title={c.before ?? ""}
                    >
                      {c.before ?? "—"}
                    </TableCell>
                    <TableCell className="max-w-64 truncate" title={c.after ?? ""}>
                      {c.after ?? "—"}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <Button variant="outline" asChild>
              <a href={importChangesHref(view.id)} download>
                <Download aria-hidden />
                {t("changesDownload")}
              </a>
            </Button>
            {listed < total && (
              <p className="text-xs text-muted-foreground">
                {t("changesTruncated", {
                  listed: format.number(listed),
                  total: format.number(total),
                })}
              </p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
