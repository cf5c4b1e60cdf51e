/**
 * "Committed since an earlier snapshot", as SQL over a row's `xmin`: for folds that pick up
 * the rows written since their last pass whatever their ids or times say (rows commit out of
 * order). The row's 32-bit `xmin` is widened to the xid8 `pg_visible_in_snapshot` takes,
 * against the current snapshot's xmax: exact for any row written within the last 2^31
 * transactions, which holds for everything inside the callers' time bound.
 */
import { sql, type SQL } from "drizzle-orm";

/** Joined once per query (`cross join`) as `x`: the current snapshot's xmax as a number. */
export const currentXmax = sql`(select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as r) x`;

/**
 * True for a row of `alias` whose inserting transaction `after` (a `pg_current_snapshot()`
 * text) could not see. Needs `currentXmax` joined as `x`.
 */
export function unseenBy(alias: string, after: string): SQL {
  const xmin = sql.raw(`${alias}.xmin`);
  return sql`not pg_visible_in_snapshot(
        ((x.r - ((x.r - ${xmin}::text::bigint) % 4294967296 + 4294967296) % 4294967296)::text::xid8),
        ${after}::pg_snapshot)`;
}
