import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import { AppError } from "@/lib/errors";
import type { ImportDetection } from "../imports.schema";
import { isHeaderRow, legacyMapping, mapHeaders } from "./header-map";
import { sniffDelimiter } from "./sniff-delimiter";
import { sniffEncoding, type SniffedEncoding } from "./sniff-encoding";
import { HEAD_BYTES } from "./store-upload";

const SAMPLE_ROWS = 5;

/** The byte-order mark of `encoding` at the start of `head`, if there is one. */
const BOMS: Partial<Record<SniffedEncoding["encoding"], number[]>> = {
  utf8: [0xef, 0xbb, 0xbf],
  utf16le: [0xff, 0xfe],
  utf16be: [0xfe, 0xff],
};
function bomLengthFor(head: Buffer, encoding: SniffedEncoding["encoding"]): number {
  const bom = BOMS[encoding];
  return bom?.every((b, i) => head[i] === b) ? bom.length : 0;
}

/** iconv-lite's name for each encoding we sniff. */
export function iconvName(encoding: SniffedEncoding["encoding"]): string {
  return encoding === "windows1252" ? "win1252" : encoding === "utf8" ? "utf8" : encoding;
}

/**
 * What the first bytes of a file say about it: encoding, delimiter, header row, the column
 * mapping to propose and a few sample rows for the preview. `complete` = head is the file.
 */
export function detectFromHead(
  head: Buffer,
  complete: boolean,
  /** The whole file is not valid UTF-8 (known only after storing it): read it as Windows-1252. */
  notUtf8 = false,
  /** What the person chose in the preview instead of what was sniffed. */
  override: { encoding?: SniffedEncoding["encoding"]; delimiter?: string } = {},
): ImportDetection {
  let sniffed = sniffEncoding(head);
  // A UTF-8 BOM wins even then: its few bad bytes become U+FFFD, the rest keeps its accents.
  if (notUtf8 && sniffed.encoding === "utf8" && sniffed.bomLength === 0)
    sniffed = { encoding: "windows1252", bomLength: 0 };
  if (override.encoding && override.encoding !== sniffed.encoding) {
    sniffed = { encoding: override.encoding, bomLength: bomLengthFor(head, override.encoding) };
  }
  let text = iconv.decode(head.subarray(sniffed.bomLength), iconvName(sniffed.encoding));
  if (!complete) {
    const lastLineEnd = text.lastIndexOf("\n");
    // Not one whole line in the first 64 KiB: a header this long is not a contact list (and
    // "the file is empty" would be wrong).
    if (lastLineEnd === -1) {
      throw new AppError("BAD_REQUEST", "import.firstRowTooLong", {
        params: { kilobytes: HEAD_BYTES / 1024 },
        field: "file",
      });
    }
    text = text.slice(0, lastLineEnd);
  }
  // Excel's optional first line `sep=;` names the delimiter; it is not a row.
  text = text.replace(/^sep=.\r?\n/i, "");
  if (text.trim() === "") throw new AppError("BAD_REQUEST", "import.emptyFile");

  const delimiter = override.delimiter ?? sniffDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      to: 50,
    }) as string[][];
  } catch (err) {
    const line = (err as { lines?: unknown }).lines;
    throw new AppError("BAD_REQUEST", "import.notReadable", {
      params: { line: typeof line === "number" ? line : 1 },
      cause: err,
    });
  }
  const first = records[0] ?? [];
  const hasHeader = isHeaderRow(first);
  const columns = Math.max(...records.map((r) => r.length), 1);
  const mapping = hasHeader ? mapHeaders(first) : legacyMapping(columns);
  const headers = hasHeader
    ? first
    : mapping.map((m, i) =>
        m.kind === "field" ? m.field : m.kind === "attribute" ? m.key : `col_${i + 1}`,
      );
  return {
    encoding: sniffed.encoding,
    delimiter,
    hasHeader,
    headers,
    mapping,
    sample: records.slice(hasHeader ? 1 : 0, (hasHeader ? 1 : 0) + SAMPLE_ROWS),
  };
}
