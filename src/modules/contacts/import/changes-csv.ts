import type { Locale } from "@/i18n/locales";
import { withTenant } from "@/server/db/tenant";
import { findImportChanges } from "../imports.queries";
import { toCsvLine } from "./csv-escape";

const PAGE = 5000;

export const CHANGES_HEADER: Record<Locale, [string, string, string, string]> = {
  es: ["numero", "campo", "antes", "despues"],
  en: ["phone", "field", "before", "after"],
};

/** An import's whole change list as CSV (phone, field, before, after), streamed by pages. */
export function importChangesCsv({
  workspaceId,
  importId,
  locale = "es",
}: {
  workspaceId: string;
  importId: string;
  locale?: Locale;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId: number | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("\uFEFF" + toCsvLine(CHANGES_HEADER[locale])));
      }
      const rows = await withTenant({ workspaceId }, (tx) =>
        findImportChanges(tx, { workspaceId, importId }, afterId, PAGE),
      );
      afterId = rows.at(-1)?.id ?? afterId;
      if (rows.length > 0) {
        controller.enqueue(
          encoder.encode(
            rows.map((r) => toCsvLine([r.phone, r.field, r.before, r.after])).join(""),
          ),
        );
      }
      if (rows.length < PAGE) controller.close();
    },
  });
}
