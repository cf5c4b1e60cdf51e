import { and, desc, eq, gt, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { ListLogsInput } from "./tasks.schema";
import { logs, type LogRow } from "./tasks.table";

export type NewLog = typeof logs.$inferInsert;

/**
 * Log lines of one workspace are written one transaction at a time, the lock held from the
 * insert (where the ids are drawn) to the commit: ids then become visible in order, so a live
 * stream reading `id > last sent` never passes over a line that commits late. The writers'
 * transactions are short (the lines are the last thing they write).
 */
export async function insertLogs(tx: Tx, rows: NewLog[]): Promise<void> {
  if (rows.length === 0) return;
  const workspaces = [...new Set(rows.map((r) => r.workspaceId))].sort();
  for (const ws of workspaces) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`log:${ws}`}, 0))`);
  }
  await tx.insert(logs).values(rows);
}

type Filters = Omit<ListLogsInput, "cursor" | "limit">;

function filtersOf(workspaceId: string, f: Filters): SQL[] {
  const where: SQL[] = [eq(logs.workspaceId, workspaceId)];
  if (f.botId) where.push(eq(logs.botId, f.botId));
  if (f.taskId) where.push(eq(logs.taskId, f.taskId));
  if (f.levels?.length) where.push(inArray(logs.level, f.levels));
  if (f.from) where.push(gte(logs.occurredAt, f.from));
  if (f.to) where.push(lte(logs.occurredAt, f.to));
  // Same expression as log_search_idx, so the GIN index answers it.
  if (f.q) {
    where.push(sql`to_tsvector('simple', ${logs.message}) @@ plainto_tsquery('simple', ${f.q})`);
  }
  return where;
}

/** Newest first, keyset-paginated on (occurred_at, id): a page costs the same at any depth. */
export async function findLogsPage(
  tx: Tx,
  workspaceId: string,
  input: ListLogsInput,
): Promise<LogRow[]> {
  const where = filtersOf(workspaceId, input);
  if (input.cursor) {
    const { occurredAt, id } = input.cursor;
    where.push(sql`(${logs.occurredAt}, ${logs.id}) < (${occurredAt}, ${id})`);
  }
  return tx
    .select()
    .from(logs)
    .where(and(...where))
    .orderBy(desc(logs.occurredAt), desc(logs.id))
    .limit(input.limit + 1);
}

/** Lines newer than `after` (ids grow with time), oldest first: what a live stream sends next. */
export async function findLogsAfter(
  tx: Tx,
  workspaceId: string,
  filters: Filters,
  after: { occurredAt: Date; id: number },
  limit: number,
): Promise<LogRow[]> {
  const where = filtersOf(workspaceId, filters);
  // Ids are visible in order (insertLogs), but occurred_at is each transaction's start: look
  // back a little by time so a line stamped before the last one sent is still found.
  where.push(gte(logs.occurredAt, new Date(after.occurredAt.getTime() - 5_000)));
  where.push(gt(logs.id, after.id));
  return tx
    .select()
    .from(logs)
    .where(and(...where))
    .orderBy(logs.id)
    .limit(limit);
}
