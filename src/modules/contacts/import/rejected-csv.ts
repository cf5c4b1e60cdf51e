import { parse } from "csv-parse/sync";
import type { Locale } from "@/i18n/locales";
import { withTenant } from "@/server/db/tenant";
import { findImport, findImportErrors } from "../imports.queries";
import type { ImportDetection } from "../imports.schema";
import { toCsvLine } from "./csv-escape";
import { localizeReason, REJECTED_EXTRA_HEADER } from "./reason-text";

const PAGE = 5000;

/** The delimiter and header row the import read its file with. */
async function layoutOf(workspaceId: string, importId: string) {
  const row = await withTenant({ workspaceId }, (tx) => findImport(tx, workspaceId, importId));
  const detected = row?.detected as ImportDetection | null | undefined;
  const options = (row?.options ?? {}) as {
    hasHeader?: boolean;
    delimiter?: string;
    mapping?: ImportDetection["mapping"];
  };
  const delimiter = options.delimiter ?? detected?.delimiter ?? ",";
  const hasHeader = options.hasHeader ?? detected?.hasHeader ?? true;
  // The file's header row; for a file read without one, the names its columns were read as,
  // so the fixed file (which has a header row) maps the same way.
  const headers = hasHeader
    ? (detected?.headers ?? [])
    : (options.mapping ?? detected?.mapping ?? []).map((m, i) =>
        m.kind === "field" ? m.field : m.kind === "attribute" ? m.key : `col_${i + 1}`,
      );
  return { delimiter, headers };
}

/** A stored rejected row's cells (stored as a CSV record in the file's delimiter). */
function cellsOf(raw: string, delimiter: string): string[] {
  try {
    const [cells] = parse(raw, { delimiter, relax_column_count: true, relax_quotes: true }) as
      string[][] | [];
    return cells ?? [raw];
  } catch {
    return [raw];
  }
}

/**
 * The rejected rows of an import as a CSV to fix and upload again: the file's own columns
 * (header and cells as they were, in its delimiter), then the row number and the reason as
 * two extra columns the importer ignores. Streamed by pages.
 */
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
  let layout: Awaited<ReturnType<typeof layoutOf>> | null = null;
  return new ReadableStream({
    async pull(controller) {
      if (!layout) {
        layout = await layoutOf(workspaceId, importId);
        const header = [...layout.headers, ...REJECTED_EXTRA_HEADER[locale]];
        controller.enqueue(encoder.encode("\uFEFF" + toCsvLine(header, layout.delimiter)));
      }
      const { delimiter, headers } = layout;
      const rows = await withTenant({ workspaceId }, (tx) =>
        findImportErrors(tx, workspaceId, importId, after, PAGE),
      );
      const last = rows.at(-1);
      if (last) after = { rowNumber: last.rowNumber, id: last.id };
      if (rows.length > 0) {
        const lines = rows.map((r) => {
          const cells = cellsOf(r.raw, delimiter);
          // Short rows are padded so the extra columns stay under their headers.
          while (cells.length < headers.length) cells.push("");
          return toCsvLine(
            [...cells, String(r.rowNumber), localizeReason(r.reason, locale)],
            delimiter,
          );
        });
        controller.enqueue(encoder.encode(lines.join("")));
      }
      if (rows.length < PAGE) controller.close();
    },
  });
}
