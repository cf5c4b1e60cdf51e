import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { PoolClient } from "pg";
import { logger } from "@/lib/logger";
import { appPool, type Database } from "./client";
import * as schema from "./schema";

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type TenantScope = { workspaceId?: string | null; userId?: string | null };
/** One transaction seen two ways: Drizzle for queries, the raw client for COPY and bulk SQL. */
export type TenantContext = { tx: Tx; client: PoolClient };
/** `begin` options, e.g. a read-only repeatable-read snapshot. */
export type TenantTxOptions = PgTransactionConfig;

/**
 * One Drizzle instance per pooled connection, made on its first transaction: building one
 * walks the whole schema (relational config), about a tenth of an ingest process's CPU under
 * signed bot events when done per transaction (`npm run bench -- webhooks`).
 */
const drizzleByClient = new WeakMap<PoolClient, Database>();
function drizzleFor(client: PoolClient): Database {
  let db = drizzleByClient.get(client);
  if (!db) {
    db = drizzle({ client, schema, casing: "snake_case" });
    drizzleByClient.set(client, db);
  }
  return db;
}

/**
 * Runs `fn` in one transaction on one pooled connection of the app role, with the tenant
 * context set for row-level security; `tx` (Drizzle) and `client` (raw pg) share that
 * connection and transaction. Commits when `fn` resolves, rolls back when it throws.
 *
 * `set_config(..., true)` is transaction-local, so a pooled connection never carries one
 * request's workspace into the next; and a connection whose commit or rollback failed is
 * discarded rather than handed to the next request in an unknown state.
 */
export async function withTenantClient<T>(
  scope: TenantScope,
  fn: (ctx: TenantContext) => Promise<T>,
  options?: TenantTxOptions,
): Promise<T> {
  const client = await appPool().connect();
  // A checked-out client reports a dropped connection on itself; the pending query rejects
  // anyway, so this only keeps it from becoming an uncaught exception.
  const onError = (err: Error) =>
    logger.warn({ err: err.message }, "database connection lost mid-transaction");
  client.on("error", onError);
  // What `fn` ended with: an error from the transaction that is not this one is the commit's,
  // the rollback's or the begin's, and the connection is then not fit for reuse.
  let outcome = null as { ok: true } | { ok: false; err: unknown } | null;
  let broken: Error | undefined;
  try {
    return await drizzleFor(client).transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.workspace_id', ${scope.workspaceId ?? ""}, true),
                   set_config('app.user_id', ${scope.userId ?? ""}, true)`,
      );
      try {
        const result = await fn({ tx, client });
        outcome = { ok: true };
        return result;
      } catch (err) {
        outcome = { ok: false, err };
        throw err;
      }
    }, options);
  } catch (err) {
    if (!outcome || outcome.ok || outcome.err !== err) broken = err as Error;
    throw err;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

/** `withTenantClient` for callers that only need Drizzle: `fn` gets the transaction. */
export function withTenant<T>(
  scope: TenantScope,
  fn: (tx: Tx) => Promise<T>,
  options?: TenantTxOptions,
): Promise<T> {
  return withTenantClient(scope, ({ tx }) => fn(tx), options);
}

/** A tenant transaction left open for the caller to end: exactly one `commit` or `rollback`. */
export type OpenTenantTransaction = TenantContext & {
  commit(): Promise<void>;
  /** Safe after `commit` or a second time: only the first ending counts, later ones do nothing. */
  rollback(): Promise<void>;
};

const ROLLBACK = Symbol("rollback");

/**
 * The same transaction as `withTenantClient`, held open across calls: for work that cannot
 * sit inside one callback — several transactions committed back to back only once all have
 * succeeded, a stream's pages read from one snapshot, a lock held for a whole run.
 */
export async function openTenantTransaction(
  scope: TenantScope,
  options?: TenantTxOptions,
): Promise<OpenTenantTransaction> {
  let end!: (how: "commit" | typeof ROLLBACK) => void;
  const ended = new Promise<"commit" | typeof ROLLBACK>((resolve) => (end = resolve));
  let opened!: (ctx: TenantContext) => void;
  const ready = new Promise<TenantContext>((resolve) => (opened = resolve));

  const done = withTenantClient(
    scope,
    async (ctx) => {
      opened(ctx);
      if ((await ended) === ROLLBACK) throw ROLLBACK;
    },
    options,
  );
  const ctx = await Promise.race([ready, done.then(() => null)]);
  if (!ctx) throw new Error("tenant transaction ended before it opened");

  let finished = false;
  const finish = async (how: "commit" | typeof ROLLBACK) => {
    if (finished) return;
    finished = true;
    end(how);
    await done.catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    });
  };
  return { ...ctx, commit: () => finish("commit"), rollback: () => finish(ROLLBACK) };
}
