import { withTenant } from "@/server/db/tenant";
import { findImportErrors } from "../imports.queries";
import type { Locale } from "@/i18n/locales";
import { toCsvLine } from "./csv-escape";
import { localizeReason, REJECTED_HEADER } from "./reason-text";

const PAGE = 5000;

/** The rejected rows of an import as CSV (row number, reason, original row), streamed. */
export function rejectedRowsCsv({
  workspaceId,
  importId,
  locale = "es",
}: {
  workspaceId: string;
  importId: string;
  locale?: Locale;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { rowNumber: number; id: number } | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("\uFEFF" + toCsvLine(REJECTED_HEADER[locale])));
      }
      const rows = await withTenant({ workspaceId }, (tx) =>
        findImportErrors(tx, workspaceId, importId, after, PAGE),
      );
      const last = rows.at(-1);
      if (last) after = { rowNumber: last.rowNumber, id: last.id };
      if (rows.length > 0)
        controller.enqueue(
          encoder.encode(
            rows
              .map((r) => toCsvLine([String(r.rowNumber), localizeReason(r.reason, locale), r.raw]))
              .join(""),
          ),
        );
      if (rows.length < PAGE) controller.close();
    },
  });
}
