/**
 * Contacts → CSV, streamed. The columns are the importer's own (`numero, nombre, sustantivo,
 * grupo`, then one column per attribute key), so an exported file re-imports unchanged;
 * every cell goes through `toCsvLine` (formula-looking cells get a leading `'`).
 */
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { openTenantTransaction, withTenant } from "@/server/db/tenant";
import { toCsvLine } from "./import/csv-escape";
import {
  contactWhere,
  findAttributeKeys,
  findContactsAfter,
  findGroupsOfContacts,
} from "./contacts.queries";
import type { ContactFilters } from "./contacts.schema";
import { resolveSearch } from "./contact-search";

export const EXPORT_FIXED_COLUMNS = [
  "numero",
  "nombre",
  "sustantivo",
  "grupo",
  "opted_out_at",
] as const;
/** Several groups share the `grupo` cell. */
export const EXPORT_GROUP_SEPARATOR = "|";
const PAGE_SIZE = 5000;
const MAX_ATTRIBUTE_COLUMNS = 500;

export type ExportRow = {
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  optedOutAt: Date | null;
  attributes: Record<string, string> | null;
  groups: readonly string[];
};

/** Attribute keys that would clash with a fixed column are left out of the file. */
export function exportAttributeColumns(keys: readonly string[]): string[] {
  const fixed = new Set<string>(EXPORT_FIXED_COLUMNS);
  return keys.filter((k) => !fixed.has(k));
}

export function contactCsvHeader(attributeKeys: readonly string[]): string {
  return toCsvLine([...EXPORT_FIXED_COLUMNS, ...attributeKeys]);
}

/** One contact as a CSV line (CRLF); pure, so the format is testable without a database. */
export function contactCsvLine(row: ExportRow, attributeKeys: readonly string[]): string {
  return toCsvLine([
    row.phone,
    row.nombre,
    row.sustantivo,
    row.groups.join(EXPORT_GROUP_SEPARATOR),
    row.optedOutAt ? row.optedOutAt.toISOString() : "",
    ...attributeKeys.map((k) => row.attributes?.[k] ?? ""),
  ]);
}

/**
 * A read-only REPEATABLE READ tenant transaction held open across pulls: every page of one
 * export sees the same snapshot. `close` always ends it (a failed rollback only discards the
 * connection: nothing was written).
 */
async function openReadSnapshot(workspaceId: string) {
  const snapshot = await openTenantTransaction(
    { workspaceId },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return { reader: snapshot.tx, close: () => snapshot.rollback().catch(() => undefined) };
}

/** A finished export, in its own transaction (the snapshot it read from is read-only). */
function auditExport({
  workspaceId,
  actorUserId,
  meta,
  filters,
  rows,
}: {
  workspaceId: string;
  actorUserId: string | null;
  meta: RequestMeta | null;
  filters: Omit<ContactFilters, "sort" | "dir">;
  rows: number;
}) {
  return withTenant({ workspaceId, userId: actorUserId }, (tx) =>
    recordAudit(tx, meta, {
      workspaceId,
      actorUserId,
      action: "contact.exported",
      after: { filters, rows },
    }),
  );
}

/**
 * The workspace's contacts matching `filters` as a UTF-8 CSV stream (BOM first, so Excel
 * reads the accents), pulled in keyset pages of 5,000 by id: memory stays flat at 1M rows
 * and a slow client slows the reads instead of buffering them.
 */
export function exportContactsCsv({
  workspaceId,
  filters,
  defaultCountry,
  actorUserId = null,
  meta = null,
}: {
  workspaceId: string;
  filters: Omit<ContactFilters, "sort" | "dir">;
  defaultCountry?: string;
  /** Who downloads: the finished export is audited with the filter and the rows sent. */
  actorUserId?: string | null;
  meta?: RequestMeta | null;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let snapshot: Awaited<ReturnType<typeof openReadSnapshot>> | null = null;
  let state: {
    where: ReturnType<typeof contactWhere>;
    keys: string[];
    after: string | null;
    rows: number;
  } | null = null;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!snapshot || !state) {
            snapshot = await openReadSnapshot(workspaceId);
            const search = await resolveSearch(
              snapshot.reader,
              workspaceId,
              filters.search,
              defaultCountry,
            );
            const where = contactWhere(workspaceId, filters, search);
            const keys = exportAttributeColumns(
              await findAttributeKeys(snapshot.reader, where, MAX_ATTRIBUTE_COLUMNS),
            );
            state = { where, keys, after: null, rows: 0 };
            controller.enqueue(encoder.encode("\uFEFF" + contactCsvHeader(keys)));
            return;
          }
          const rows = await findContactsAfter(
            snapshot.reader,
            state.where,
            state.after,
            PAGE_SIZE,
          );
          const groups = await findGroupsOfContacts(
            snapshot.reader,
            workspaceId,
            rows.map((r) => r.id),
          );
          let chunk = "";
          for (const r of rows) {
            const names = (groups.get(r.id) ?? []).map((g) => g.name);
            chunk += contactCsvLine({ ...r, groups: names }, state.keys);
          }
          if (chunk) controller.enqueue(encoder.encode(chunk));
          state.after = rows.at(-1)?.id ?? state.after;
          state.rows += rows.length;
          if (rows.length < PAGE_SIZE) {
            await snapshot.close();
            await auditExport({ workspaceId, actorUserId, meta, filters, rows: state.rows });
            controller.close();
          }
        } catch (err) {
          await snapshot?.close();
          controller.error(err);
        }
      },
      async cancel() {
        await snapshot?.close();
      },
    },
    { highWaterMark: 1 },
  );
}
