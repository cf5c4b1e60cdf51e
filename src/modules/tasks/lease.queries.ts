/**
 * The lease: how due tasks move to an agent and back. A pull holds a per-bot advisory lock
 * for its short transaction, so two pulls for one bot (two agent processes, two web
 * processes) count in-flight tasks one after the other and never exceed the bot's
 * concurrency; `FOR UPDATE SKIP LOCKED` keeps them off rows a cancel or a sweep holds.
 */
import { and, asc, count, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { RETRY_BASE_MS, RETRY_MAX_MS } from "./backoff";
import { botTasks, type BotTask } from "./tasks.table";

const IN_FLIGHT = ["LEASED", "RUNNING"] as const;

export async function lockBotLeases(tx: Tx, botId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`bot_task:${botId}`}, 0))`);
}

export async function countInFlight(tx: Tx, workspaceId: string, botId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(botTasks)
    .where(
      and(
        eq(botTasks.workspaceId, workspaceId),
        eq(botTasks.botId, botId),
        inArray(botTasks.status, [...IN_FLIGHT]),
      ),
    );
  return row?.n ?? 0;
}

/** Up to `limit` due tasks (id, action), priority then age, locked for this transaction. */
export async function lockDueTasks(
  tx: Tx,
  workspaceId: string,
  botId: string,
  limit: number,
): Promise<{ id: string; action: string }[]> {
  if (limit <= 0) return [];
  return tx
    .select({ id: botTasks.id, action: botTasks.action })
    .from(botTasks)
    .where(
      and(
        eq(botTasks.workspaceId, workspaceId),
        eq(botTasks.botId, botId),
        eq(botTasks.status, "PENDING"),
        lte(botTasks.scheduledFor, sql`now()`),
      ),
    )
    .orderBy(desc(botTasks.priority), asc(botTasks.id))
    .limit(limit)
    .for("update", { skipLocked: true });
}

/** Leases the locked tasks to `owner`; each attempt is counted here, when it starts. */
export async function leaseTasks(
  tx: Tx,
  workspaceId: string,
  ids: string[],
  { owner, leaseSeconds }: { owner: string; leaseSeconds: number },
): Promise<BotTask[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .update(botTasks)
    .set({
      status: "LEASED",
      attempts: sql`${botTasks.attempts} + 1`,
      leaseOwner: owner,
      leaseExpiresAt: sql`now() + ${leaseSeconds} * interval '1 second'`,
      attemptStartedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(botTasks.workspaceId, workspaceId), inArray(botTasks.id, ids)))
    .returning();
  return rows.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
}

/** A paced task may not start before its slot: its lease runs from there. */
export async function delayLeases(
  tx: Tx,
  workspaceId: string,
  slots: { id: string; notBefore: Date }[],
  leaseSeconds: number,
): Promise<void> {
  if (slots.length === 0) return;
  await tx.execute(sql`
    update bot_task t
       set lease_expires_at = s.not_before + ${leaseSeconds} * interval '1 second',
           attempt_started_at = s.not_before
      from unnest(${sql.param(slots.map((s) => s.id))}::uuid[],
                  ${sql.param(slots.map((s) => s.notBefore.toISOString()))}::timestamptz[])
           as s(id, not_before)
     where t.workspace_id = ${workspaceId} and t.id = s.id`);
}

/**
 * The one attempt a call of the agent may touch: its bot's task, in flight, on `attempt`. A
 * late call of an attempt that ended (requeued and leased again, maybe to another worker)
 * matches nothing, so it can never act on the attempt that replaced it.
 */
const currentAttempt = (workspaceId: string, botId: string, id: string, attempt: number) =>
  and(
    eq(botTasks.workspaceId, workspaceId),
    eq(botTasks.id, id),
    eq(botTasks.botId, botId),
    eq(botTasks.attempts, attempt),
    inArray(botTasks.status, [...IN_FLIGHT]),
  );

export async function extendLease(
  tx: Tx,
  workspaceId: string,
  botId: string,
  id: string,
  attempt: number,
  leaseSeconds: number,
): Promise<BotTask | null> {
  const [row] = await tx
    .update(botTasks)
    .set({
      leaseExpiresAt: sql`greatest(${botTasks.leaseExpiresAt}, now() + ${leaseSeconds} * interval '1 second')`,
      updatedAt: sql`now()`,
    })
    .where(currentAttempt(workspaceId, botId, id, attempt))
    .returning();
  return row ?? null;
}

/** LEASED → RUNNING for the attempt the agent started (the first start is kept). */
export async function startAttempt(
  tx: Tx,
  workspaceId: string,
  botId: string,
  id: string,
  attempt: number,
): Promise<BotTask | null> {
  const [row] = await tx
    .update(botTasks)
    .set({
      status: "RUNNING",
      startedAt: sql`coalesce(${botTasks.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(currentAttempt(workspaceId, botId, id, attempt))
    .returning();
  return row ?? null;
}

/** Ends `attempt` with `patch` (the outcome); null when it is not the task's current one. */
export async function endAttempt(
  tx: Tx,
  workspaceId: string,
  botId: string,
  id: string,
  attempt: number,
  patch: Partial<typeof botTasks.$inferInsert>,
): Promise<BotTask | null> {
  const [row] = await tx
    .update(botTasks)
    .set({
      ...patch,
      leaseOwner: null,
      leaseExpiresAt: null,
      attemptStartedAt: null,
      updatedAt: sql`now()`,
    })
    .where(currentAttempt(workspaceId, botId, id, attempt))
    .returning();
  return row ?? null;
}

/**
 * Ends every attempt in the workspace (or of one bot) whose lease expired or whose timeout
 * passed: back to PENDING after the backoff (same formula as backoff.ts), or — on the last
 * attempt — TIMED_OUT. Returns the tasks as they are now.
 */
export async function expireLeases(
  tx: Tx,
  workspaceId: string,
  botId?: string,
): Promise<(BotTask & { reason: "timeout" | "lease_expired" })[]> {
  const { rows } = await tx.execute<{ id: string; reason: "timeout" | "lease_expired" }>(sql`
    with expired as (
      select id,
             case when attempt_started_at + timeout_seconds * interval '1 second' < now()
                  then 'timeout' else 'lease_expired' end as reason,
             attempts >= max_attempts as last
        from bot_task
       where workspace_id = ${workspaceId}
         and status in ('LEASED', 'RUNNING')
         ${botId ? sql`and bot_id = ${botId}` : sql``}
         and (lease_expires_at < now()
              or attempt_started_at + timeout_seconds * interval '1 second' < now())
       for update skip locked
       limit 1000
    )
    update bot_task t
       set status = case when e.last then 'TIMED_OUT'::task_status else 'PENDING'::task_status end,
           scheduled_for = case when e.last then t.scheduled_for else now() +
             least(${RETRY_MAX_MS}::float8, ${RETRY_BASE_MS}::float8 * power(2, greatest(t.attempts - 1, 0)))
             * (0.5 + random() * 0.5) * interval '1 millisecond' end,
           error = e.reason,
           lease_owner = null,
           lease_expires_at = null,
           attempt_started_at = null,
           finished_at = case when e.last then now() end,
           updated_at = now()
      from expired e
     where t.workspace_id = ${workspaceId} and t.id = e.id
    returning t.id, e.reason`);
  if (rows.length === 0) return [];
  const reasons = new Map(rows.map((r) => [r.id, r.reason]));
  const tasks = await tx
    .select()
    .from(botTasks)
    .where(and(eq(botTasks.workspaceId, workspaceId), inArray(botTasks.id, [...reasons.keys()])));
  return tasks.map((t) => ({ ...t, reason: reasons.get(t.id)! }));
}

/** Workspaces with an attempt to end (owner connection: the sweep runs across tenants). */
export async function workspacesWithExpiredLeases(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workspaceId: botTasks.workspaceId })
    .from(botTasks)
    .where(
      and(
        inArray(botTasks.status, [...IN_FLIGHT]),
        sql`(${botTasks.leaseExpiresAt} < now()
             or ${botTasks.attemptStartedAt} + ${botTasks.timeoutSeconds} * interval '1 second' < now())`,
      ),
    );
  return rows.map((r) => r.workspaceId);
}
