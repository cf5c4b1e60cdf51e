import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { bots, type Bot } from "./bots.table";

const scoped = (workspaceId: string, id: string) =>
  and(eq(bots.workspaceId, workspaceId), eq(bots.id, id));

export async function findBotsPage(
  tx: Tx,
  workspaceId: string,
  { page, pageSize }: { page: number; pageSize: number },
): Promise<{ rows: Bot[]; total: number }> {
  // One after the other: both run on the transaction's one connection.
  const rows = await tx
    .select()
    .from(bots)
    .where(eq(bots.workspaceId, workspaceId))
    .orderBy(asc(sql`lower(${bots.name})`), asc(bots.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [totalRow] = await tx
    .select({ n: count() })
    .from(bots)
    .where(eq(bots.workspaceId, workspaceId));
  return { rows, total: totalRow?.n ?? 0 };
}

export async function findBot(tx: Tx, workspaceId: string, id: string): Promise<Bot | null> {
  const [row] = await tx.select().from(bots).where(scoped(workspaceId, id));
  return row ?? null;
}

export async function findBotsByIds(tx: Tx, workspaceId: string, ids: string[]): Promise<Bot[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(bots)
    .where(
      and(eq(bots.workspaceId, workspaceId), sql`${bots.id} = any(${sql.param(ids)}::uuid[])`),
    );
}

export async function insertBot(tx: Tx, values: typeof bots.$inferInsert): Promise<Bot> {
  const [row] = await tx.insert(bots).values(values).returning();
  return row!;
}

export async function updateBotRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  patch: Partial<typeof bots.$inferInsert>,
): Promise<Bot | null> {
  const [row] = await tx.update(bots).set(patch).where(scoped(workspaceId, id)).returning();
  return row ?? null;
}

export async function deleteBotRow(tx: Tx, workspaceId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(bots).where(scoped(workspaceId, id)).returning({ id: bots.id });
  return rows.length > 0;
}

export async function findBotByName(tx: Tx, workspaceId: string, name: string) {
  const [row] = await tx
    .select({ id: bots.id })
    .from(bots)
    .where(and(eq(bots.workspaceId, workspaceId), sql`lower(${bots.name}) = lower(${name})`));
  return row ?? null;
}
