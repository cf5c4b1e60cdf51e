/**
 * Provider receipts (delivered, read, failed) applied set-based and only forward:
 * sending/unknown → sent → delivered → read; `failed` only before delivery. Duplicates and
 * reordering change nothing (a `delivered` after `read` is ignored). Rollups get the deltas,
 * so `sent ≥ delivered ≥ read` holds for every key.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { upsertRollups } from "./rollups";

export type ReceiptStatus = "sent" | "delivered" | "read" | "failed";
export type StatusUpdate = {
  /** Our recipient id (sandbox, Infobip messageId, webhook) … */
  recipientId?: string;
  /** … or the provider's message id (WhatsApp wamid). */
  providerMessageId?: string;
  status: ReceiptStatus;
  code?: string | null;
  at?: Date;
};

const RANK: Record<ReceiptStatus, number> = { sent: 3, delivered: 4, read: 5, failed: 6 };

/** One update per message: the furthest status wins (a batch may carry sent+delivered+read). */
export function reduceUpdates(updates: StatusUpdate[]): StatusUpdate[] {
  const best = new Map<string, StatusUpdate>();
  for (const u of updates) {
    const key = u.recipientId ? `r:${u.recipientId}` : `p:${u.providerMessageId}`;
    const prev = best.get(key);
    const better =
      !prev ||
      (u.status === "failed"
        ? prev.status === "sent"
        : prev.status !== "failed" && RANK[u.status] > RANK[prev.status]);
    if (better) best.set(key, u);
  }
  return [...best.values()];
}

export async function applyUpdates(tx: Tx, workspaceId: string, updates: StatusUpdate[]) {
  if (updates.length === 0) return { changed: 0, campaigns: [] as string[] };
  const { rows } = await tx.execute<{ campaign_id: string; n: number }>(sql`
    with inc as (
      select * from unnest(${sql.param(updates.map((u) => u.recipientId ?? null))}::uuid[],
                           ${sql.param(updates.map((u) => u.providerMessageId ?? null))}::text[],
                           ${sql.param(updates.map((u) => u.status))}::text[],
                           ${sql.param(updates.map((u) => u.code ?? null))}::text[],
                           ${sql.param(updates.map((u) => (u.at ?? new Date()).toISOString()))}::timestamptz[])
        as t(recipient_id, provider_id, status, code, at)
    ),
    -- A receipt with only the provider's id finds its recipient through the sent event
    -- (settleRecipients records the id there; the recipient row's copy is not indexed).
    by_provider as (
      select distinct on (inc.provider_id) inc.provider_id, e.campaign_id, e.recipient_id
        from inc join message_event e
          on e.workspace_id = ${workspaceId} and e.provider_message_id = inc.provider_id
       where inc.recipient_id is null
    ),
    target as (
      select coalesce(inc.recipient_id, p.recipient_id) as recipient_id, p.campaign_id,
             inc.status, inc.code, inc.at
        from inc left join by_provider p
          on inc.recipient_id is null and p.provider_id = inc.provider_id
    ),
    cur as (
      select r.campaign_id, r.id, r.status::text as old, inc.status as new, inc.code, inc.at,
             r.bot_id, r.group_id
        from target inc join campaign_recipient r
          on r.workspace_id = ${workspaceId} and r.id = inc.recipient_id
         and (inc.campaign_id is null or r.campaign_id = inc.campaign_id)
       where case inc.status
               when 'failed' then r.status in ('sending', 'unknown', 'sent')
               when 'sent' then r.status in ('queued', 'sending', 'unknown')
               when 'delivered' then r.status in ('queued', 'sending', 'unknown', 'sent')
               when 'read' then r.status in ('queued', 'sending', 'unknown', 'sent', 'delivered')
             end
       for update of r
    ),
    upd as (
      update campaign_recipient r set
        status = cur.new::recipient_status,
        error_code = case when cur.new = 'failed' then coalesce(cur.code, 'provider_failed') else r.error_code end,
        sent_at = case when cur.new <> 'failed' then coalesce(r.sent_at, cur.at) else r.sent_at end,
        delivered_at = case when cur.new in ('delivered', 'read') then coalesce(r.delivered_at, cur.at) else r.delivered_at end,
        read_at = case when cur.new = 'read' then coalesce(r.read_at, cur.at) else r.read_at end,
        next_attempt_at = null, claimed_by = null, updated_at = now()
      from cur
      where r.workspace_id = ${workspaceId} and r.campaign_id = cur.campaign_id and r.id = cur.id
      returning r.id
    ),
    events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code, occurred_at)
      select ${workspaceId}, campaign_id, id, bot_id, new, code, now() from cur
    ),
    deltas as (
      select campaign_id, bot_id, group_id, 'unknown' as status, -1 as n from cur where old = 'unknown'
      union all
      select campaign_id, bot_id, group_id, 'sent', 1 from cur
       where old in ('queued', 'sending', 'unknown') and new in ('sent', 'delivered', 'read')
      union all
      select campaign_id, bot_id, group_id, 'delivered', 1 from cur
       where old not in ('delivered', 'read') and new in ('delivered', 'read')
      union all
      select campaign_id, bot_id, group_id, 'read', 1 from cur where new = 'read'
      union all
      select campaign_id, bot_id, group_id, 'failed', 1 from cur
       where new = 'failed' and old in ('sending', 'unknown')
      union all
      select campaign_id, bot_id, group_id, 'undelivered', 1 from cur where new = 'failed' and old = 'sent'
    ),
    roll as (${upsertRollups(workspaceId, null, "deltas")})
    select campaign_id, count(*)::int as n from cur group by campaign_id`);
  return {
    changed: rows.reduce((a, r) => a + r.n, 0),
    campaigns: rows.map((r) => r.campaign_id),
  };
}
