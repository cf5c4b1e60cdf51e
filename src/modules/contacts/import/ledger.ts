import type { PoolClient } from "pg";
import type { ImportCounts } from "../contacts.table";
import { EMPTY_COUNTS } from "../import-counts";
import type { StageRow } from "./batch-writer";

const SUMMED = ["processed", "inserted", "updated", "unchanged", "duplicates", "invalid"] as const;
const CHANGE_COUNTS = ["changes", "changesListed"] as const;

/** Adds `delta` into `into` (bytes read is a position, not a sum: the furthest wins). */
export function addCounts(into: ImportCounts, delta: Partial<ImportCounts>): ImportCounts {
  for (const key of SUMMED) into[key] += delta[key] ?? 0;
  for (const key of CHANGE_COUNTS) into[key] = (into[key] ?? 0) + (delta[key] ?? 0);
  into.bytesRead = Math.max(into.bytesRead ?? 0, delta.bytesRead ?? 0);
  into.total = Math.max(into.total, into.processed);
  return into;
}

export const partKey = (batch: number, part: number) => `${batch}:${part}`;

/**
 * The rows of a batch split into `parts` by phone — disjoint phones, so the parts' writers
 * never wait on each other's rows. Deterministic: a resumed import splits the same way.
 */
export function splitParts(rows: StageRow[], parts: number): StageRow[][] {
  if (parts === 1) return [rows];
  const out: StageRow[][] = Array.from({ length: parts }, () => []);
  for (const r of rows) out[partOf(r.phone, parts)]!.push(r);
  return out;
}

/** The part an E.164 phone goes to: its last two digits, mixed. */
export function partOf(phone: string, parts: number): number {
  return (phone.charCodeAt(phone.length - 1) + phone.charCodeAt(phone.length - 2) * 7) % parts;
}

/** Parts already committed by earlier attempts, and the counts they add up to. */
export async function readLedger(
  client: PoolClient,
  importId: string,
): Promise<{ done: Set<string>; counts: ImportCounts }> {
  const { rows } = await client.query<{ batch: number; part: number; counts: ImportCounts }>(
    "select batch, part, counts from contact_import_part where import_id = $1",
    [importId],
  );
  const counts = { ...EMPTY_COUNTS };
  for (const r of rows) addCounts(counts, r.counts);
  return { done: new Set(rows.map((r) => partKey(r.batch, r.part))), counts };
}

/** Records a part inside the transaction that writes it. */
export async function recordPart(
  client: PoolClient,
  entry: { workspaceId: string; importId: string; batch: number; part: number },
  counts: Partial<ImportCounts>,
) {
  await client.query(
    `insert into contact_import_part (workspace_id, import_id, batch, part, counts)
     values ($1, $2, $3, $4, $5)`,
    [entry.workspaceId, entry.importId, entry.batch, entry.part, counts],
  );
}
