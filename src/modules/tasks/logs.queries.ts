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
  // The live stream's search, over the few lines newer than the last one sent (found by time).
  // A page of history searches through app_log_search_page instead (findLogsPage).
  if (f.q) {
    where.push(sql`to_tsvector('simple', ${logs.message}) @@ plainto_tsquery('simple', ${f.q})`);
  }
  return where;
}

type Cursor = NonNullable<ListLogsInput["cursor"]>;

/**
 * The cursor line's own occurred_at. A cursor carries a JS Date (milliseconds) while lines are
 * stamped to the microsecond, and the lines of one insert share one stamp: compared as sent,
 * `(occurred_at, id) < cursor` would skip the rest of the cursor's millisecond, i.e. the rest
 * of its batch. Found by primary key (its id, within a millisecond of the cursor's time); the
 * cursor's own time if the line is gone. One scalar subquery (an InitPlan parameter): under
 * row-level security a comparison with anything else than a parameter or a leakproof
 * expression (COALESCE is not one) is no longer an index condition.
 */
function cursorAt(workspaceId: string, { occurredAt, id }: Cursor): SQL {
  return sql`(select coalesce(max(c.occurred_at), ${occurredAt}::timestamptz) from ${logs} c
     where c.workspace_id = ${workspaceId} and c.id = ${id}
       and c.occurred_at between ${occurredAt}::timestamptz - interval '1 millisecond'
                             and ${occurredAt}::timestamptz + interval '1 millisecond')`;
}

/**
 * Newest first, keyset-paginated on (occurred_at, id): a page costs the same at any depth.
 *
 * A search finds its page's keys through `app_log_search_page` (drizzle/0020): under row-level
 * security `@@` (not leakproof) cannot reach the GIN index, and the page would be read line by
 * line from the newest — seconds for a rare word at 1M lines. The function applies the same
 * filters for the current workspace only, as the owner; the rows are then read here by primary
 * key, through the policy.
 */
export async function findLogsPage(
  tx: Tx,
  workspaceId: string,
  input: ListLogsInput,
): Promise<LogRow[]> {
  const limit = input.limit + 1;
  const { cursor } = input;
  let where: SQL[];
  if (input.q) {
    const levels = input.levels?.length
      ? sql`array[${sql.join(
          input.levels.map((l) => sql`${l}`),
          sql`, `,
        )}]::log_level[]`
      : sql`null::log_level[]`;
    const keys = sql`select k.occurred_at, k.id from app_log_search_page(
      ${input.q}::text, ${levels}, ${input.botId ?? null}::uuid, ${input.taskId ?? null}::uuid,
      ${input.from ?? null}::timestamptz, ${input.to ?? null}::timestamptz,
      ${cursor ? cursorAt(workspaceId, cursor) : null}::timestamptz, ${cursor?.id ?? null}::bigint,
      ${limit}::integer) k`;
    where = [eq(logs.workspaceId, workspaceId), sql`(${logs.occurredAt}, ${logs.id}) in (${keys})`];
  } else {
    where = filtersOf(workspaceId, input);
    if (cursor) {
      where.push(
        sql`(${logs.occurredAt}, ${logs.id}) < (${cursorAt(workspaceId, cursor)}, ${cursor.id})`,
      );
    }
  }
  return tx
    .select()
    .from(logs)
    .where(and(...where))
    .orderBy(desc(logs.occurredAt), desc(logs.id))
    .limit(limit);
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
