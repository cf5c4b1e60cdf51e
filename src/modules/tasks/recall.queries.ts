/**
 * Recalling tasks nobody has leased yet: PENDING → CANCELED with a reason, the idempotency key
 * given up (so whoever created the task can hand the same work over again later under the same
 * key). Rows another transaction holds (a pull leasing them, a cancel) are skipped: that
 * transaction decides their fate.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { SEND_MESSAGE } from "./tasks.schema";

export type RecalledTask = {
  id: string;
  botId: string;
  action: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** The key the task gave up (null when it had none). */
  recalledKey: string | null;
};

async function recall(tx: Tx, workspaceId: string, which: SQL, reason: string) {
  const { rows } = await tx.execute<{
    id: string;
    bot_id: string;
    action: string;
    payload: Record<string, unknown>;
    attempts: number;
    recalled_key: string | null;
  }>(sql`
    with doomed as (
      select id, idempotency_key from bot_task
       where workspace_id = ${workspaceId} and status = 'PENDING' and ${which}
       for update skip locked
    )
    update bot_task t
       set status = 'CANCELED', error = ${reason}, idempotency_key = null,
           finished_at = now(), updated_at = now()
      from doomed d
     where t.workspace_id = ${workspaceId} and t.id = d.id
    returning t.id, t.bot_id, t.action, t.payload, t.attempts, d.idempotency_key as recalled_key`);
  return rows.map((r): RecalledTask => ({
    id: r.id,
    botId: r.bot_id,
    action: r.action,
    payload: r.payload,
    attempts: r.attempts,
    recalledKey: r.recalled_key,
  }));
}

/**
 * The pending `send_message` tasks of one campaign. `botIds` are the campaign's bots: the
 * search runs on the pending-tasks index of those bots.
 */
export function recallPendingSendsOfCampaign(
  tx: Tx,
  workspaceId: string,
  { campaignId, botIds }: { campaignId: string; botIds: string[] },
  reason: string,
): Promise<RecalledTask[]> {
  if (botIds.length === 0) return Promise.resolve([]);
  return recall(
    tx,
    workspaceId,
    sql`bot_id = any(${sql.param(botIds)}::uuid[]) and action = ${SEND_MESSAGE}
        and payload->>'campaignId' = ${campaignId}`,
    reason,
  );
}

/** These pending tasks (already locked by the caller's transaction). */
export function recallPendingTasks(
  tx: Tx,
  workspaceId: string,
  ids: string[],
  reason: string,
): Promise<RecalledTask[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return recall(tx, workspaceId, sql`id = any(${sql.param(ids)}::uuid[])`, reason);
}

/** Action and payload of these tasks. */
export async function findTaskPayloads(
  tx: Tx,
  workspaceId: string,
  ids: string[],
): Promise<{ id: string; action: string; payload: Record<string, unknown> }[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.execute<{
    id: string;
    action: string;
    payload: Record<string, unknown>;
  }>(sql`
    select id, action, payload from bot_task
     where workspace_id = ${workspaceId} and id = any(${sql.param(ids)}::uuid[])`);
  return rows;
}
