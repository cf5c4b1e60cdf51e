/**
 * The send path's statements. A claim moves recipients `queued → sending` and reserves their
 * phone in the send ledger (the cool-off is enforced here, atomically per phone, so two
 * campaigns can never both contact someone inside the window); a settle records outcomes,
 * events and rollups in one statement per batch.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import type { RecipientStatus } from "./campaigns.table";
import { upsertRollups } from "./rollups";

export type ClaimedRecipient = {
  id: string;
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  attributes: Record<string, string>;
  templateIndex: number;
  groupId: string | null;
  attempts: number;
};

type Scope = { workspaceId: string; campaignId: string; batch: number };

/**
 * Claims up to `limit` due recipients of one batch. Suppressed phones and phones contacted
 * inside the cool-off are skipped in the same statement (with their event and rollup).
 * `drained`: nothing due is left in the batch after this claim (skipped ones count as taken).
 */
export async function claimRecipients(
  tx: Tx,
  {
    workspaceId,
    campaignId,
    batch,
    limit,
    cooloffDays,
    claimedBy,
  }: Scope & {
    limit: number;
    cooloffDays: number;
    claimedBy: string;
  },
): Promise<{ recipients: ClaimedRecipient[]; drained: boolean }> {
  const { rows } = await tx.execute<{
    id: string;
    status: RecipientStatus;
    phone: string;
    nombre: string | null;
    sustantivo: string | null;
    attributes: Record<string, string>;
    template_index: number;
    group_id: string | null;
    attempts: number;
    due: number;
  }>(sql`
    with picked as (
      select r.id, r.phone, r.bot_id, r.group_id from campaign_recipient r
       where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId}
         and r.batch = ${batch} and r.status = 'queued'
         and (r.next_attempt_at is null or r.next_attempt_at <= now())
       order by r.phone limit ${limit}
       for update skip locked
    ),
    suppressed as (
      select p.id from picked p join suppression s
        on s.workspace_id = ${workspaceId} and s.phone = p.phone
    ),
    ledger as (
      insert into send_ledger (workspace_id, phone, last_sent_at, campaign_id, recipient_id)
      select ${workspaceId}, p.phone, now(), ${campaignId}, p.id from picked p
       where p.id not in (select id from suppressed)
       order by p.phone
      -- Taking over another send's record (past this campaign's cool-off, which an override
      -- may shorten) keeps that record in prev_*: a claim released unsent puts it back.
      on conflict (workspace_id, phone) do update
        set last_sent_at = excluded.last_sent_at, campaign_id = excluded.campaign_id,
            recipient_id = excluded.recipient_id,
            prev_sent_at = case when send_ledger.recipient_id = excluded.recipient_id
                                then send_ledger.prev_sent_at else send_ledger.last_sent_at end,
            prev_campaign_id = case when send_ledger.recipient_id = excluded.recipient_id
                                    then send_ledger.prev_campaign_id else send_ledger.campaign_id end,
            prev_recipient_id = case when send_ledger.recipient_id = excluded.recipient_id
                                     then send_ledger.prev_recipient_id else send_ledger.recipient_id end
        where send_ledger.recipient_id = excluded.recipient_id
           or send_ledger.last_sent_at <= now() - make_interval(days => ${cooloffDays}::int)
      returning recipient_id
    ),
    -- Membership tests (hashed subplans), not joins: the planner expects one row from each
    -- CTE and would nest-loop the picked rows over the ledger's (500 × 500 tuples per claim).
    decided as (
      select p.id, p.id in (select id from suppressed) as opted_out,
             p.id in (select recipient_id from ledger) as claimed
        from picked p
    ),
    upd as (
      update campaign_recipient r set
        status = (case when d.claimed then 'sending' else 'skipped' end)::recipient_status,
        error_code = case when d.opted_out then 'opted_out'
                          when not d.claimed then 'cooloff' else r.error_code end,
        attempts = r.attempts + (case when d.claimed then 1 else 0 end),
        claimed_by = ${claimedBy}, updated_at = now()
      from decided d
      -- batch and status repeat what picked chose: with stale statistics on a campaign just
      -- built, they keep the planner from scanning the whole campaign per picked row.
      where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId} and r.id = d.id
        and r.batch = ${batch} and r.status = 'queued'
      returning r.id, r.status, r.phone, r.nombre, r.sustantivo, r.attributes, r.template_index,
                r.group_id, r.bot_id, r.attempts, r.error_code
    ),
    skip_events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code)
      select ${workspaceId}, ${campaignId}, id, bot_id, 'skipped', error_code from upd where status = 'skipped'
    ),
    skips as (select bot_id, group_id, 'skipped_at_send'::text as status, 1 as n from upd where status = 'skipped'),
    roll as (${upsertRollups(workspaceId, campaignId, "skips")})
    select upd.*, (select count(*)::int from campaign_recipient q
                     where q.workspace_id = ${workspaceId} and q.campaign_id = ${campaignId}
                       and q.batch = ${batch} and q.status = 'queued'
                       and (q.next_attempt_at is null or q.next_attempt_at <= now())) as due
      from upd`);
  const recipients = rows
    .filter((r) => r.status === "sending")
    .map((r) => ({
      id: r.id,
      phone: r.phone,
      nombre: r.nombre,
      sustantivo: r.sustantivo,
      attributes: r.attributes ?? {},
      templateIndex: r.template_index,
      groupId: r.group_id,
      attempts: r.attempts,
    }));
  // `due` is read under the statement's snapshot, before its own update: it counts the picked
  // rows too, so no more than were picked means nothing due is left behind them.
  return { recipients, drained: rows.length < limit || rows[0]!.due <= rows.length };
}

/** One recipient's outcome: its next status, code, provider id, and retry time when queued again. */
export type Outcome = {
  id: string;
  status: "sent" | "failed" | "queued" | "canceled" | "unknown";
  code: string | null;
  providerMessageId: string | null;
  nextAttemptAt: Date | null;
  /** Event type for the timeline (`sent`, `failed`, `retry`, `released`, `canceled`, `unknown`). */
  event: string;
  /** The provider was never called for this claim: its attempt does not count. */
  refundAttempt?: boolean;
};

/**
 * A claim released unsent gives its phone's record back: the one it took over, or none. Left
 * out when every outcome is a send (the usual round). The rows are looked up by key from the
 * released phones: joined to the ledger instead, a plan made while the ledger's statistics
 * still say "empty" walks the workspace's whole ledger once per settled recipient.
 */
function releaseLedger(workspaceId: string, outcomes: Outcome[]): SQL {
  if (!outcomes.some((o) => o.status !== "sent" && o.status !== "unknown")) return sql``;
  return sql`
    unsent as (
      select phone, id, exists (select 1 from send_ledger l
                                 where l.workspace_id = ${workspaceId} and l.phone = upd.phone
                                   and l.recipient_id = upd.id and l.prev_sent_at is not null) as restore
        from upd where status in ('failed', 'queued', 'canceled')
    ),
    restored as (
      update send_ledger l set last_sent_at = l.prev_sent_at, campaign_id = l.prev_campaign_id,
             recipient_id = l.prev_recipient_id, prev_sent_at = null, prev_campaign_id = null,
             prev_recipient_id = null
       where l.workspace_id = ${workspaceId}
         and l.phone = any (array(select phone from unsent where restore))
         and l.recipient_id = any (array(select id from unsent where restore))
    ),
    released as (
      delete from send_ledger l
       where l.workspace_id = ${workspaceId}
         and l.phone = any (array(select phone from unsent where not restore))
         and l.recipient_id = any (array(select id from unsent where not restore))
    ),`;
}

/**
 * Records outcomes of claimed recipients (only rows still `sending`), with their events,
 * ledger releases for those not sent, and rollup counters — one statement.
 */
export async function settleRecipients(
  tx: Tx,
  {
    workspaceId,
    campaignId,
    outcomes,
  }: { workspaceId: string; campaignId: string; outcomes: Outcome[] },
): Promise<{ settled: number; failed: number; sent: number }> {
  if (outcomes.length === 0) return { settled: 0, failed: 0, sent: 0 };
  const { rows } = await tx.execute<{ settled: number; failed: number; sent: number }>(sql`
    with given as (
      select * from unnest(${sql.param(outcomes.map((o) => o.id))}::uuid[],
                           ${sql.param(outcomes.map((o) => o.status))}::recipient_status[],
                           ${sql.param(outcomes.map((o) => o.code))}::text[],
                           ${sql.param(outcomes.map((o) => o.providerMessageId))}::text[],
                           ${sql.param(outcomes.map((o) => o.nextAttemptAt?.toISOString() ?? null))}::timestamptz[],
                           ${sql.param(outcomes.map((o) => o.event))}::text[],
                           ${sql.param(outcomes.map((o) => o.refundAttempt === true))}::boolean[])
        as t(id, status, code, provider_id, next_at, event, refund)
    ),
    -- A send given back (queued) after the campaign was canceled ends canceled: the cancel
    -- only reached the recipients that were queued when it ran, not the ones in flight.
    camp as (
      select status = 'canceled' as canceled from campaign
       where workspace_id = ${workspaceId} and id = ${campaignId}
    ),
    res as (
      select t.id, t.provider_id, t.refund,
             case when back then 'canceled'::recipient_status else t.status end as status,
             case when back then 'campaign_canceled' else t.code end as code,
             case when back then null else t.next_at end as next_at,
             case when back then 'canceled' else t.event end as event
        from given t
        cross join lateral (
          select t.status = 'queued' and coalesce((select canceled from camp), false) as back
        ) b
    ),
    upd as (
      update campaign_recipient r set
        status = res.status, error_code = res.code,
        provider_message_id = coalesce(res.provider_id, r.provider_message_id),
        sent_at = case when res.status = 'sent' then now() else r.sent_at end,
        next_attempt_at = res.next_at, claimed_by = null, updated_at = now(),
        attempts = case when res.refund then greatest(r.attempts - 1, 0) else r.attempts end
      from res
      where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId}
        and r.id = res.id and r.status = 'sending'
      returning r.id, r.phone, r.status, r.error_code, r.bot_id, r.group_id, res.event,
                res.provider_id
    ),
    -- The provider's id rides on the sent event: receipts that carry only it find the
    -- recipient there (the recipient row keeps it unindexed, see campaigns.table.ts).
    events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code,
                                 provider_message_id)
      select ${workspaceId}, ${campaignId}, id, bot_id, event, error_code,
             case when event = 'sent' then provider_id end from upd
    ),
    ${releaseLedger(workspaceId, outcomes)}
    counted as (
      select bot_id, group_id, status::text as status, 1 as n from upd
       where status in ('sent', 'failed', 'canceled', 'unknown')
    ),
    roll as (${upsertRollups(workspaceId, campaignId, "counted")})
    select count(*)::int as settled,
           count(*) filter (where status = 'failed')::int as failed,
           count(*) filter (where status = 'sent')::int as sent
      from upd`);
  return rows[0]!;
}

/**
 * Marks a live job's claims as still being worked on: the maintenance sweep takes claims left
 * `sending` for 15 minutes for a dead job's, and a slow provider can keep a round that long.
 */
export async function touchClaims(
  tx: Tx,
  {
    workspaceId,
    campaignId,
    claimedBy,
  }: { workspaceId: string; campaignId: string; claimedBy: string },
) {
  await tx.execute(sql`
    update campaign_recipient set updated_at = now()
     where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
       and claimed_by = ${claimedBy} and status = 'sending'`);
}

/**
 * Recipients a dead attempt of this job left `sending` (claimed by `<jobId>:<n>` with n below
 * the current retry): they may or may not have reached the provider.
 */
export async function findOrphanedClaims(
  tx: Tx,
  {
    workspaceId,
    campaignId,
    batch,
    jobId,
    retryCount,
  }: Scope & { jobId: string; retryCount: number },
): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    select id from campaign_recipient
     where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and batch = ${batch}
       and status = 'sending' and claimed_by like ${`${jobId}:%`}
       and claimed_by <> ${`${jobId}:${retryCount}`}
     for update`);
  return rows.map((r) => r.id);
}

/**
 * Earliest retry time still pending in a batch (null: nothing left to send in it). Recipients
 * handed to an agent bot's tasks (`claimed_by = 'agent'`) are the tasks' to settle, not the job's.
 */
export async function nextPendingInBatch(
  tx: Tx,
  scope: Scope,
): Promise<{ pending: number; nextAt: Date | null }> {
  const { rows } = await tx.execute<{ pending: number; next_at: Date | null }>(sql`
    select count(*)::int as pending, min(next_attempt_at) as next_at from campaign_recipient
     where workspace_id = ${scope.workspaceId} and campaign_id = ${scope.campaignId}
       and batch = ${scope.batch}
       and (status = 'queued' or (status = 'sending' and claimed_by is distinct from 'agent'))`);
  return {
    pending: rows[0]!.pending,
    nextAt: rows[0]!.next_at ? new Date(rows[0]!.next_at) : null,
  };
}

/** True while any recipient of the campaign is still queued or sending. */
export async function hasPending(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
): Promise<boolean> {
  // From the last batch down (the batch index holds every row; status is read from the
  // heap): batches drain roughly in order, so while any is left one is found at once.
  const { rows } = await tx.execute(sql`
    select 1 from campaign_recipient where workspace_id = ${workspaceId}
       and campaign_id = ${campaignId} and status in ('queued', 'sending')
     order by batch desc limit 1`);
  return rows.length > 0;
}

/** Batches with recipients still queued (resume, bot resumed). */
export async function pendingBatches(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
): Promise<{ batch: number; botId: string }[]> {
  const { rows } = await tx.execute<{ batch: number; bot_id: string }>(sql`
    select distinct batch, bot_id from campaign_recipient
     where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and status in ('queued', 'sending')`);
  return rows.map((r) => ({ batch: r.batch, botId: r.bot_id }));
}

/** Cancels everything still queued (set-based), with events and rollups. */
export async function cancelQueued(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    with upd as (
      update campaign_recipient set status = 'canceled', error_code = 'campaign_canceled',
             next_attempt_at = null, updated_at = now()
       where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and status = 'queued'
      returning id, bot_id, group_id
    ),
    events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code)
      select ${workspaceId}, ${campaignId}, id, bot_id, 'canceled', 'campaign_canceled' from upd
    ),
    counted as (select bot_id, group_id, 'canceled'::text as status, 1 as n from upd),
    roll as (${upsertRollups(workspaceId, campaignId, "counted")})
    select count(*)::int as n from upd`);
  return rows[0]!.n;
}

/** Share of failures among the campaign's last `window` final outcomes (null: too few yet). */
export async function recentFailureRate(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  window: number,
): Promise<number | null> {
  const { rows } = await tx.execute<{ n: number; failed: number }>(sql`
    select count(*)::int as n, count(*) filter (where type = 'failed')::int as failed from (
      select type from message_event
       where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
         and type in ('sent', 'failed')
       order by occurred_at desc limit ${window}) last`);
  const r = rows[0]!;
  return r.n < window ? null : r.failed / r.n;
}
