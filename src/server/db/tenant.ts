import { sql } from "drizzle-orm";
import { db, type Database } from "./client";

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type TenantScope = { workspaceId?: string | null; userId?: string | null };

/**
 * Runs `fn` in one transaction as the app role with the tenant context set for row-level
 * security. `set_config(..., true)` is transaction-local, so a pooled connection never
 * carries one request's workspace into the next.
 */
export function withTenant<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.workspace_id', ${scope.workspaceId ?? ""}, true),
                 set_config('app.user_id', ${scope.userId ?? ""}, true)`,
    );
    return fn(tx);
  });
}
