import { and, count, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { workspaces } from "@/modules/workspaces/workspaces.table";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { apiKeys } from "./apikeys.table";

const viewColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKeyRow = {
  [K in keyof typeof viewColumns]: (typeof apiKeys.$inferSelect)[K];
};

export async function insertApiKeyRow(
  tx: Tx,
  row: Pick<
    typeof apiKeys.$inferInsert,
    "workspaceId" | "name" | "prefix" | "keyHash" | "scopes" | "createdBy"
  >,
): Promise<ApiKeyRow | null> {
  const [inserted] = await tx.insert(apiKeys).values(row).returning(viewColumns);
  return inserted ?? null;
}

export async function findApiKeysPage(
  tx: Tx,
  workspaceId: string,
  opts: { page: number; pageSize: number; includeRevoked: boolean },
) {
  const where = and(
    eq(apiKeys.workspaceId, workspaceId),
    opts.includeRevoked ? undefined : isNull(apiKeys.revokedAt),
  );
  // One after the other: both run on the transaction's one connection.
  const rows = await tx
    .select(viewColumns)
    .from(apiKeys)
    .where(where)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
  const [total] = await tx.select({ n: count() }).from(apiKeys).where(where);
  return { rows, total: total?.n ?? 0 };
}

export async function findApiKeyById(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .select(viewColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)));
  return row ?? null;
}

/** Sets `revokedAt` once; a second revoke leaves the first timestamp alone. */
export async function markApiKeyRevoked(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning(viewColumns);
  return row ?? null;
}

/**
 * The key (with its workspace's default country) for a secret's hash. Runs as the owner: the
 * key is what tells us the workspace, so there is no tenant context yet. One indexed lookup
 * per request, which is why the workspace column is joined here instead of read separately.
 */
export async function findKeyByHash(sys: Database, keyHash: string) {
  const [row] = await sys
    .select({
      id: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      defaultCountry: workspaces.defaultCountry,
    })
    .from(apiKeys)
    .innerJoin(workspaces, eq(workspaces.id, apiKeys.workspaceId))
    .where(eq(apiKeys.keyHash, keyHash));
  return row ?? null;
}

/** Stamps `lastUsedAt` unless another request already did within the last `minSeconds`. */
export async function touchApiKey(sys: Database, id: string, minSeconds: number) {
  await sys
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, id),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, sql`now() - make_interval(secs => ${minSeconds})`),
        ),
      ),
    );
}
