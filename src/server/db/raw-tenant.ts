import type { PoolClient } from "pg";
import { logger } from "@/lib/logger";
import { appPool } from "./client";

/**
 * A raw pg client in a transaction as the app role with the tenant context set: for hot
 * paths (COPY, set-based SQL) that the query builder does not express. Caller commits or
 * rolls back with the returned helpers; the client always goes back to the pool.
 */
export async function openTenantTransaction(workspaceId: string) {
  const client: PoolClient = await appPool().connect();
  // A checked-out client reports a dropped connection on itself; the pending query rejects
  // anyway, so this only keeps it from becoming an uncaught exception.
  const onError = (err: Error) =>
    logger.warn({ err: err.message }, "database connection lost mid-transaction");
  client.on("error", onError);
  try {
    await client.query("begin");
    await client.query("select set_config('app.workspace_id', $1, true)", [workspaceId]);
  } catch (err) {
    client.off("error", onError);
    client.release(err as Error);
    throw err;
  }
  let done = false;
  const finish = async (sql: "commit" | "rollback") => {
    if (done) return;
    done = true;
    let broken: Error | undefined;
    try {
      await client.query(sql);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.off("error", onError);
      // A connection whose commit/rollback failed is discarded, not reused.
      client.release(broken);
    }
  };
  return { client, commit: () => finish("commit"), rollback: () => finish("rollback") };
}

/** Runs `fn` in a tenant transaction on a raw client: commit on success, rollback on error. */
export async function withRawTenant<T>(
  workspaceId: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const tx = await openTenantTransaction(workspaceId);
  try {
    const result = await fn(tx.client);
    await tx.commit();
    return result;
  } catch (err) {
    await tx.rollback().catch(() => undefined);
    throw err;
  }
}
