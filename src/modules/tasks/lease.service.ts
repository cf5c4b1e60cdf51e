/**
 * How agents take and finish work (docs/agents.md): `pullTasks` leases due tasks within the
 * bot's concurrency, pacing and quiet hours; `heartbeatTask` extends a lease; `settleAttempt`
 * ends an attempt (success, retry with backoff, or final failure); `sweepExpiredLeases` ends
 * the attempts whose lease ran out or whose timeout passed. The agent's calls name the attempt
 * they are for, and only the task's current attempt is acted on: a late call of an attempt
 * that ended answers 409 instead of touching the one that replaced it. Every change leaves a
 * task event; final outcomes run the settle hooks in the same transaction. Live views hear of pulls,
 * results and sweeps after the commit, throttled (server/realtime/announce.ts): a NOTIFY in
 * these transactions would make their commits queue one behind the other.
 */
import { AppError } from "@/lib/errors";
import { getBot } from "@/modules/bots/bots.service";
import type { AgentIdentity } from "@/modules/bots/agents.service";
import { markAgentSeen } from "@/modules/bots/agents.service";
import { reserveSlots } from "@/modules/bots/pacing";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { systemDb } from "@/server/db/client";
import { withTenant, type Tx } from "@/server/db/tenant";
import { announce } from "@/server/realtime/announce";
import { retryDelayMs } from "./backoff";
import { withholdRefused } from "./lease-guards";
import {
  countInFlight,
  delayLeases,
  endAttempt,
  expireLeases,
  extendLease,
  leaseTasks,
  lockBotLeases,
  lockDueTasks,
  startAttempt,
  workspacesWithExpiredLeases,
} from "./lease.queries";
import { runSettledHandlers, type SettledTask } from "./settle-hooks";
import { findTask, insertTaskEvents } from "./tasks.queries";
import { isTerminal } from "./tasks.service";
import type { BotTask } from "./tasks.table";

export const MAX_PULL = 100;

export type LeasedTask = {
  id: string;
  action: string;
  payload: Record<string, unknown>;
  priority: number;
  attempt: number;
  maxAttempts: number;
  timeoutSeconds: number;
  leaseExpiresAt: Date;
  /** Paced bots: the task must not start before this instant. */
  notBefore: Date;
};

export type PullResult = { tasks: LeasedTask[]; retryAfterSeconds: number | null };

const settledOf = (task: BotTask): SettledTask => ({
  workspaceId: task.workspaceId,
  id: task.id,
  botId: task.botId,
  action: task.action,
  payload: task.payload,
  status: task.status as SettledTask["status"],
  result: task.result,
  error: task.error,
  attempts: task.attempts,
});

// The bot's `last_seen_at` moves at most every 5 s (agents.queries.ts); this process skips
// asking in between. A pull or result that asked to move it waits on the bot's row for as
// long as any other request of the bot holds it: one agent's results would queue.
const SEEN_EVERY_MS = 5_000;
const markedSeenAt = new Map<string, number>();

async function markSeen(tx: Tx, workspaceId: string, botId: string): Promise<void> {
  const now = Date.now();
  if (now - (markedSeenAt.get(botId) ?? 0) < SEEN_EVERY_MS) return;
  markedSeenAt.set(botId, now);
  await markAgentSeen(tx, workspaceId, botId);
}

/** Ends expired attempts in one workspace (optionally one bot): events and hooks. */
async function expireInTx(tx: Tx, workspaceId: string, botId?: string): Promise<number> {
  const ended = await expireLeases(tx, workspaceId, botId);
  if (ended.length === 0) return 0;
  await insertTaskEvents(
    tx,
    ended.map((t) => ({
      workspaceId,
      taskId: t.id,
      botId: t.botId,
      type: t.status === "TIMED_OUT" ? "timed_out" : "requeued",
      detail: {
        reason: t.reason,
        attempt: t.attempts,
        retryAt: t.status === "PENDING" ? t.scheduledFor : null,
      },
    })),
  );
  await runSettledHandlers(tx, ended.filter((t) => isTerminal(t.status)).map(settledOf));
  return ended.length;
}

/** Leases up to `limit` due tasks of the agent's bot to `worker`. */
export async function pullTasks({
  agent,
  limit,
  worker,
}: {
  agent: AgentIdentity;
  limit: number;
  worker: string;
}): Promise<PullResult> {
  const { workspaceId, botId } = agent;
  let changed = false;
  const pulled = await withTenant({ workspaceId }, async (tx): Promise<PullResult> => {
    await markSeen(tx, workspaceId, botId);
    const bot = await getBot({ tx, workspaceId, id: botId });
    if (bot.status !== "active") return { tasks: [], retryAfterSeconds: 5 };
    await lockBotLeases(tx, botId);
    changed = (await expireInTx(tx, workspaceId, botId)) > 0;
    const free = bot.concurrency - (await countInFlight(tx, workspaceId, botId));
    const due = await lockDueTasks(tx, workspaceId, botId, Math.min(limit, MAX_PULL, free));
    // The tasks' owners may still refuse (an opt-out, a paused campaign): those are recalled.
    let ids = await withholdRefused(tx, workspaceId, due);
    if (ids.length === 0) return { tasks: [], retryAfterSeconds: null };

    const { timeZone } = await getWorkspace({ tx, workspaceId });
    const reservation = await reserveSlots({ tx, workspaceId, bot, count: ids.length, timeZone });
    if (reservation.slots.length === 0) {
      const waitMs = (reservation.blockedUntil?.getTime() ?? Date.now() + 1000) - Date.now();
      return { tasks: [], retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    ids = ids.slice(0, reservation.slots.length);
    changed = true;
    const leased = await leaseTasks(tx, workspaceId, ids, {
      owner: worker,
      leaseSeconds: agent.leaseSeconds,
    });
    const now = Date.now();
    const slots = leased.map((t, i) => ({
      id: t.id,
      notBefore: new Date(Math.max(now, reservation.slots[i] ?? now)),
    }));
    const later = slots.filter((s) => s.notBefore.getTime() > now + 50);
    await delayLeases(tx, workspaceId, later, agent.leaseSeconds);
    await insertTaskEvents(
      tx,
      leased.map((t, i) => ({
        workspaceId,
        taskId: t.id,
        botId,
        type: "leased",
        detail: { attempt: t.attempts, worker, notBefore: slots[i]!.notBefore },
      })),
    );
    return {
      tasks: leased.map((t, i) => {
        const notBefore = slots[i]!.notBefore;
        return {
          id: t.id,
          action: t.action,
          payload: t.payload,
          priority: t.priority,
          attempt: t.attempts,
          maxAttempts: t.maxAttempts,
          timeoutSeconds: t.timeoutSeconds,
          leaseExpiresAt: new Date(
            Math.max(t.leaseExpiresAt!.getTime(), notBefore.getTime() + agent.leaseSeconds * 1000),
          ),
          notBefore,
        };
      }),
      retryAfterSeconds: null,
    };
  });
  if (changed) announce("bot_activity", workspaceId);
  return pulled;
}

/** The bot's task, locked (404 when it is another bot's or does not exist). */
async function inFlightTask(tx: Tx, agent: AgentIdentity, id: string): Promise<BotTask> {
  const task = await findTask(tx, agent.workspaceId, id, { lock: true });
  if (!task || task.botId !== agent.botId) throw new AppError("NOT_FOUND", "task.notFound");
  return task;
}

function leaseLost(task: BotTask): AppError {
  return new AppError("CONFLICT", "task.leaseLost", { params: { status: task.status } });
}

/**
 * Every call about a task says which attempt it is for (`attempt` from the pull): a late call
 * of an attempt that ended — its lease lapsed, the task was leased again, maybe to another
 * worker — must not act on the attempt that replaced it. 409 when missing or not current.
 */
function assertCurrentAttempt(
  task: BotTask,
  attempt: number | undefined,
): asserts attempt is number {
  if (attempt === undefined) throw new AppError("CONFLICT", "task.attemptMissing");
  if (attempt !== task.attempts) {
    throw new AppError("CONFLICT", "task.attemptEnded", {
      params: { attempt, current: task.attempts, status: task.status },
    });
  }
}

/** Why a statement guarded by the attempt matched nothing: 404, or 409 with the reason. */
async function refusal(
  tx: Tx,
  agent: AgentIdentity,
  id: string,
  attempt: number | undefined,
): Promise<AppError> {
  const task = await inFlightTask(tx, agent, id);
  assertCurrentAttempt(task, attempt);
  return leaseLost(task);
}

/**
 * Extends the lease of the task's current attempt (409 once it was requeued, settled or
 * cancelled, or when `attempt` is not the current one).
 */
export async function heartbeatTask({
  agent,
  id,
  attempt,
}: {
  agent: AgentIdentity;
  id: string;
  attempt: number | undefined;
}) {
  return withTenant({ workspaceId: agent.workspaceId }, async (tx) => {
    await markSeen(tx, agent.workspaceId, agent.botId);
    const extended =
      attempt === undefined
        ? null
        : await extendLease(tx, agent.workspaceId, agent.botId, id, attempt, agent.leaseSeconds);
    if (extended) return { status: extended.status, leaseExpiresAt: extended.leaseExpiresAt! };
    throw await refusal(tx, agent, id, attempt);
  });
}

export type AttemptOutcome =
  | { ok: true; providerMessageId?: string; output?: Record<string, unknown> }
  | { ok: false; error: string; message?: string; retryable?: boolean };

/**
 * Ends `attempt` of an in-flight task; 409 when it is not the task's current attempt.
 * Idempotent: a task already at its end after this attempt is returned unchanged
 * (`changed: false`), so an agent repeating a result changes nothing.
 * Live views are the caller's to wake once the transaction committed.
 */
export async function settleAttempt(
  tx: Tx,
  agent: AgentIdentity,
  id: string,
  attempt: number | undefined,
  outcome: AttemptOutcome,
): Promise<{ task: BotTask; changed: boolean }> {
  const { workspaceId, botId } = agent;
  const before = await inFlightTask(tx, agent, id);
  assertCurrentAttempt(before, attempt);
  if (isTerminal(before.status)) return { task: before, changed: false };
  if (before.status !== "LEASED" && before.status !== "RUNNING") throw leaseLost(before);
  let patch: Parameters<typeof endAttempt>[5];
  if (outcome.ok) {
    patch = {
      status: "SUCCEEDED",
      error: null,
      result: {
        ...(outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {}),
        ...(outcome.output ? { output: outcome.output } : {}),
      },
      finishedAt: new Date(),
    };
  } else if (outcome.retryable !== false && before.attempts < before.maxAttempts) {
    patch = {
      status: "PENDING",
      error: outcome.error,
      scheduledFor: new Date(Date.now() + retryDelayMs(before.attempts)),
    };
  } else {
    patch = {
      status: "FAILED",
      error: outcome.error,
      result: outcome.message ? { message: outcome.message } : null,
      finishedAt: new Date(),
    };
  }
  // Guarded by the attempt too; the row lock above already keeps it current.
  const task = await endAttempt(tx, workspaceId, botId, id, attempt, patch);
  if (!task) throw leaseLost(before);
  const type = task.status === "PENDING" ? "retry_scheduled" : task.status.toLowerCase();
  await insertTaskEvents(tx, [
    {
      workspaceId,
      taskId: id,
      botId,
      type,
      detail: outcome.ok
        ? { attempt: before.attempts, providerMessageId: outcome.providerMessageId ?? null }
        : {
            attempt: before.attempts,
            error: outcome.error,
            message: outcome.message ?? null,
            retryAt: task.status === "PENDING" ? task.scheduledFor : null,
          },
    },
  ]);
  if (isTerminal(task.status)) await runSettledHandlers(tx, [settledOf(task)]);
  return { task, changed: true };
}

export async function reportResult({
  agent,
  id,
  attempt,
  outcome,
}: {
  agent: AgentIdentity;
  id: string;
  attempt: number | undefined;
  outcome: AttemptOutcome;
}) {
  const settled = await withTenant({ workspaceId: agent.workspaceId }, async (tx) => {
    await markSeen(tx, agent.workspaceId, agent.botId);
    return settleAttempt(tx, agent, id, attempt, outcome);
  });
  if (settled.changed) announce("bot_activity", agent.workspaceId);
  return settled;
}

/** LEASED → RUNNING when the agent says `attempt` started (the first start is kept). */
export async function markStarted(
  tx: Tx,
  agent: AgentIdentity,
  id: string,
  attempt: number | undefined,
): Promise<void> {
  const started =
    attempt === undefined
      ? null
      : await startAttempt(tx, agent.workspaceId, agent.botId, id, attempt);
  if (!started) throw await refusal(tx, agent, id, attempt);
  await insertTaskEvents(tx, [
    { workspaceId: agent.workspaceId, taskId: id, botId: agent.botId, type: "started" },
  ]);
}

/** Progress extends the lease like a heartbeat and lands on the task's timeline. */
export async function recordProgress(
  tx: Tx,
  agent: AgentIdentity,
  id: string,
  attempt: number | undefined,
  detail: { progress?: number; message?: string },
): Promise<void> {
  const extended =
    attempt === undefined
      ? null
      : await extendLease(tx, agent.workspaceId, agent.botId, id, attempt, agent.leaseSeconds);
  if (!extended) throw await refusal(tx, agent, id, attempt);
  await insertTaskEvents(tx, [
    { workspaceId: agent.workspaceId, taskId: id, botId: agent.botId, type: "progress", detail },
  ]);
}

/**
 * The cron sweep: every workspace with an attempt whose lease expired or whose timeout
 * passed. Returns how many attempts it ended.
 */
export async function sweepExpiredLeases(): Promise<{ workspaces: number; ended: number }> {
  const workspaceIds = await workspacesWithExpiredLeases(systemDb());
  let ended = 0;
  for (const workspaceId of workspaceIds) {
    const n = await withTenant({ workspaceId }, (tx) => expireInTx(tx, workspaceId));
    if (n > 0) announce("bot_activity", workspaceId);
    ended += n;
  }
  return { workspaces: workspaceIds.length, ended };
}
