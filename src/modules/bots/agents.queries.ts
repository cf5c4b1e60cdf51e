import { and, eq, isNull, gt, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { botAgentSecrets, botAgents, botEventReceipts, type BotAgent } from "./agents.table";
import { bots } from "./bots.table";

const activeSecret = or(
  isNull(botAgentSecrets.expiresAt),
  gt(botAgentSecrets.expiresAt, sql`now()`),
);

export async function insertAgent(tx: Tx, row: typeof botAgents.$inferInsert): Promise<void> {
  await tx.insert(botAgents).values(row).onConflictDoNothing();
}

export async function findAgent(
  tx: Tx,
  workspaceId: string,
  botId: string,
): Promise<BotAgent | null> {
  const [row] = await tx
    .select()
    .from(botAgents)
    .where(and(eq(botAgents.workspaceId, workspaceId), eq(botAgents.botId, botId)));
  return row ?? null;
}

export async function updateAgentRow(
  tx: Tx,
  workspaceId: string,
  botId: string,
  patch: Partial<typeof botAgents.$inferInsert>,
): Promise<BotAgent | null> {
  const [row] = await tx
    .update(botAgents)
    .set(patch)
    .where(and(eq(botAgents.workspaceId, workspaceId), eq(botAgents.botId, botId)))
    .returning();
  return row ?? null;
}

export async function insertAgentSecret(tx: Tx, row: typeof botAgentSecrets.$inferInsert) {
  await tx.insert(botAgentSecrets).values(row);
}

/** Every still-active secret of the bot stops working at `at` (a rotation's overlap). */
export async function expireAgentSecrets(tx: Tx, workspaceId: string, botId: string, at: Date) {
  await tx
    .update(botAgentSecrets)
    .set({ expiresAt: sql`least(coalesce(${botAgentSecrets.expiresAt}, ${at}), ${at})` })
    .where(
      and(
        eq(botAgentSecrets.workspaceId, workspaceId),
        eq(botAgentSecrets.botId, botId),
        activeSecret,
      ),
    );
}

export async function findActiveSecretExpiries(tx: Tx, workspaceId: string, botId: string) {
  const rows = await tx
    .select({ expiresAt: botAgentSecrets.expiresAt })
    .from(botAgentSecrets)
    .where(
      and(
        eq(botAgentSecrets.workspaceId, workspaceId),
        eq(botAgentSecrets.botId, botId),
        activeSecret,
      ),
    );
  return rows;
}

export type AgentIdentityRow = {
  botId: string;
  workspaceId: string;
  kind: string;
  status: string;
  ipAllowlist: string[];
  eventWindowSeconds: number;
  leaseSeconds: number;
  secrets: string[];
};

/**
 * An agent bot with its active (still encrypted) secrets, in any workspace: the owner
 * connection, before any workspace is known — the request proves it belongs to this bot.
 */
export async function findAgentIdentity(
  db: Database,
  botId: string,
): Promise<AgentIdentityRow | null> {
  const rows = await db
    .select({
      botId: bots.id,
      workspaceId: bots.workspaceId,
      kind: bots.kind,
      status: bots.status,
      ipAllowlist: botAgents.ipAllowlist,
      eventWindowSeconds: botAgents.eventWindowSeconds,
      leaseSeconds: botAgents.leaseSeconds,
      secret: botAgentSecrets.secret,
    })
    .from(bots)
    .innerJoin(
      botAgents,
      and(eq(botAgents.workspaceId, bots.workspaceId), eq(botAgents.botId, bots.id)),
    )
    .leftJoin(
      botAgentSecrets,
      and(
        eq(botAgentSecrets.workspaceId, bots.workspaceId),
        eq(botAgentSecrets.botId, bots.id),
        activeSecret,
      ),
    )
    .where(eq(bots.id, botId));
  const [first] = rows;
  if (!first) return null;
  const { secret: _s, ...identity } = first;
  return { ...identity, secrets: rows.flatMap((r) => (r.secret ? [r.secret] : [])) };
}

/** At most one write per bot every few seconds: a heartbeat storm does not become a hot row. */
export async function touchBotLastSeen(tx: Tx, workspaceId: string, botId: string) {
  await tx
    .update(bots)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(
        eq(bots.workspaceId, workspaceId),
        eq(bots.id, botId),
        sql`(${bots.lastSeenAt} is null or ${bots.lastSeenAt} < now() - interval '5 seconds')`,
      ),
    );
}

/** Records a `webhook-id`; false when it was seen before (a replay). */
export async function recordEventReceipt(
  tx: Tx,
  workspaceId: string,
  botId: string,
  webhookId: string,
): Promise<boolean> {
  const rows = await tx
    .insert(botEventReceipts)
    .values({ workspaceId, botId, webhookId })
    .onConflictDoNothing()
    .returning({ webhookId: botEventReceipts.webhookId });
  return rows.length > 0;
}

/**
 * Records several `webhook-id`s in one statement; returns the ones not seen before, as
 * `<botId>:<webhookId>` (a replay, or the same id twice in the list, is left out).
 */
export async function recordEventReceipts(
  tx: Tx,
  workspaceId: string,
  receipts: { botId: string; webhookId: string }[],
): Promise<Set<string>> {
  const rows = await tx
    .insert(botEventReceipts)
    .values(receipts.map((r) => ({ workspaceId, ...r })))
    .onConflictDoNothing()
    .returning({ botId: botEventReceipts.botId, webhookId: botEventReceipts.webhookId });
  return new Set(rows.map((r) => `${r.botId}:${r.webhookId}`));
}

export async function findEventReceipt(
  tx: Tx,
  workspaceId: string,
  botId: string,
  webhookId: string,
): Promise<boolean> {
  const rows = await tx
    .select({ webhookId: botEventReceipts.webhookId })
    .from(botEventReceipts)
    .where(
      and(
        eq(botEventReceipts.workspaceId, workspaceId),
        eq(botEventReceipts.botId, botId),
        eq(botEventReceipts.webhookId, webhookId),
      ),
    );
  return rows.length > 0;
}

/** Receipts past every window (owner connection; a replay that old fails the timestamp). */
export async function deleteReceiptsBefore(db: Database, before: Date): Promise<number> {
  const result = await db
    .delete(botEventReceipts)
    .where(sql`${botEventReceipts.receivedAt} < ${before}`);
  return result.rowCount ?? 0;
}
