import { parse } from "csv-parse";
import iconv from "iconv-lite";
import type { PoolClient } from "pg";
import { Readable } from "node:stream";
import { encodeErrorRef, errorRef } from "@/lib/error-ref";
import { AppError } from "@/lib/errors";
import { NumberSet } from "@/lib/number-set";
import { normalisePhone } from "../phone";
import { applyMapping } from "./apply-mapping";
import type { RejectedRow, StageRow } from "./batch-writer";
import { toCsvRecord } from "./csv-escape";
import { iconvName } from "./detect";
import type { ColumnMapping } from "./header-map";
import type { SniffedEncoding } from "./sniff-encoding";
import { readUploadChunks } from "./store-upload";

export type ParsedBatch = {
  rows: StageRow[];
  rejected: RejectedRow[];
  /** Data rows read into this batch (valid, repeated and rejected). */
  rowCount: number;
  invalid: number;
  duplicates: number;
  /** File bytes consumed when the batch closed. */
  bytesRead: number;
};

export type ReadOptions = {
  client: PoolClient;
  importId: string;
  encoding: SniffedEncoding["encoding"];
  delimiter: string;
  mapping: ColumnMapping;
  hasHeader: boolean;
  defaultCountry: string;
  batchRows: number;
};

function mergeInto(target: StageRow, next: StageRow) {
  // Later rows update earlier ones, but a blank cell never erases a value.
  if (next.nombre) target.nombre = next.nombre;
  if (next.sustantivo) target.sustantivo = next.sustantivo;
  Object.assign(target.attributes, next.attributes);
  for (const g of next.groups)
    if (!target.groups.some((x) => x.toLowerCase() === g.toLowerCase())) target.groups.push(g);
}

/**
 * The parser's records; a syntax error anywhere in the file (an unclosed quote past the part
 * the preview read) is the file's fault, said with its line, as the preview says it.
 */
async function* csvRecords(parser: AsyncIterable<string[]>): AsyncGenerator<string[]> {
  try {
    for await (const cells of parser) yield cells;
  } catch (err) {
    const { code, lines } = err as { code?: unknown; lines?: unknown };
    if (typeof code !== "string" || !code.startsWith("CSV_")) throw err;
    throw new AppError("BAD_REQUEST", "import.notReadable", {
      params: { line: typeof lines === "number" ? lines : 1 },
      cause: err,
    });
  }
}

/**
 * Streams the stored file — decode, CSV parse, map, normalise, dedupe — and yields batches
 * of at most `batchRows` data rows, unique by phone within the batch. A phone seen in an
 * earlier batch is marked `repeat`: it still updates the contact but counts as a duplicate.
 */
export async function* readBatches(opts: ReadOptions): AsyncGenerator<ParsedBatch> {
  let bytesRead = 0;
  const source = Readable.from(
    (async function* () {
      for await (const chunk of readUploadChunks(opts.client, opts.importId)) {
        bytesRead += chunk.length;
        yield chunk;
      }
    })(),
  );
  const parser = source
    .pipe(iconv.decodeStream(iconvName(opts.encoding)))
    .pipe(
      parse({ delimiter: opts.delimiter, relax_column_count: true, relax_quotes: true, bom: true }),
    );

  // Phones seen so far, as numbers ("+595981123456" → 595981123456: E.164 has at most 15
  // digits, below 2^53), in a typed-array set: a million of them take 16 MB.
  const seen = new NumberSet();
  let byPhone = new Map<string, StageRow>();
  let batch: ParsedBatch = {
    rows: [],
    rejected: [],
    rowCount: 0,
    invalid: 0,
    duplicates: 0,
    bytesRead: 0,
  };
  // Row numbers are the spreadsheet's: every record counts, blank lines included.
  let rowNumber = 0;
  let headerPending = opts.hasHeader;

  for await (const cells of csvRecords(parser as AsyncIterable<string[]>)) {
    rowNumber++;
    // Parsing runs while the previous batch is being written: yield to the event loop now and
    // then so the database's replies are handled promptly instead of after the whole batch.
    if ((rowNumber & 511) === 0) await new Promise((resolve) => setImmediate(resolve));
    // Excel's `sep=;` line: Excel does not show it, so the header is its row 1.
    if (rowNumber === 1 && /^sep=.?$/i.test(cells.join(opts.delimiter))) {
      rowNumber = 0;
      continue;
    }
    if (cells.every((c) => c.trim() === "")) continue;
    if (headerPending) {
      headerPending = false;
      continue;
    }
    batch.rowCount++;
    if (cells.some((c) => c.includes("\u0000"))) {
      // Postgres text cannot hold NUL: reject the row instead of failing the whole import.
      batch.invalid++;
      batch.rejected.push({
        rowNumber,
        raw: toCsvRecord(cells, opts.delimiter).replace(/\u0000/g, ""),
        reason: encodeErrorRef(errorRef("import.rowNul")),
      });
      continue;
    }
    const mapped = applyMapping(cells, opts.mapping, opts.delimiter);
    const phone = normalisePhone(mapped.phoneRaw, opts.defaultCountry);
    if (!phone.ok || mapped.problem) {
      // Over the form's limits is rejected like a bad phone: the same contact could not be
      // saved by hand either.
      batch.invalid++;
      batch.rejected.push({
        rowNumber,
        raw: toCsvRecord(cells, opts.delimiter),
        reason: phone.ok ? mapped.problem! : encodeErrorRef(phone.reason),
      });
    } else {
      const { nombre, sustantivo, groups, attributes } = mapped;
      const stage: StageRow = {
        phone: phone.e164,
        nombre,
        sustantivo,
        groups,
        attributes,
        repeat: false,
        rowNumber,
        raw: () => toCsvRecord(cells, opts.delimiter),
      };
      const existing = byPhone.get(phone.e164);
      if (existing) {
        batch.duplicates++;
        mergeInto(existing, stage);
      } else {
        const key = Number(phone.e164.slice(1));
        if (seen.has(key)) {
          batch.duplicates++;
          stage.repeat = true;
        } else {
          seen.add(key);
        }
        byPhone.set(phone.e164, stage);
        batch.rows.push(stage);
      }
    }
    if (batch.rowCount >= opts.batchRows) {
      batch.bytesRead = bytesRead;
      yield batch;
      byPhone = new Map();
      batch = { rows: [], rejected: [], rowCount: 0, invalid: 0, duplicates: 0, bytesRead: 0 };
    }
  }
  batch.bytesRead = bytesRead;
  yield batch;
}
