/**
 * The last word before a task leaves for an agent. The module that creates tasks of an action
 * may refuse, at pull time, to hand one out — campaigns do for `send_message` when the phone
 * was opted out or the campaign was paused or cancelled after the task was created. A refused
 * task is recalled in the pull's transaction (CANCELED with the guard's reason, its
 * idempotency key given up, a task event) and the settle hooks run for it like for any
 * cancel, so its owner settles what the task stood for.
 */
import type { Tx } from "@/server/db/tenant";
import { findTaskPayloads, recallPendingTasks, type RecalledTask } from "./recall.queries";
import { runSettledHandlers, type SettledTask } from "./settle-hooks";
import { insertTaskEvents, notifyBotActivity } from "./tasks.queries";

export type LeaseCandidate = { id: string; payload: Record<string, unknown> };
/** Returns the refused candidates: task id → reason code. */
export type LeaseGuard = (
  tx: Tx,
  workspaceId: string,
  tasks: LeaseCandidate[],
) => Promise<Map<string, string>>;

// One registry per process, like the settle hooks (Next bundles its own module copies).
const holder = globalThis as { __salestrackLeaseGuards?: Map<string, LeaseGuard> };
const guards: Map<string, LeaseGuard> = (holder.__salestrackLeaseGuards ??= new Map());

/** Sets the guard of `action` (one per action); returns a function that removes it. */
export function onBeforeLease(action: string, guard: LeaseGuard): () => void {
  guards.set(action, guard);
  return () => {
    if (guards.get(action) === guard) guards.delete(action);
  };
}

/** A recalled task as the settle hooks see it: cancelled, with the reason as its error. */
export function settledOfRecalled(
  workspaceId: string,
  task: RecalledTask,
  reason: string,
): SettledTask {
  return {
    workspaceId,
    id: task.id,
    botId: task.botId,
    action: task.action,
    payload: task.payload,
    status: "CANCELED",
    result: null,
    error: reason,
    attempts: task.attempts,
  };
}

/** Task events for recalled tasks: `canceled`, with the reason and the key given up. */
export async function recordRecall(
  tx: Tx,
  workspaceId: string,
  tasks: RecalledTask[],
  reason: string,
): Promise<void> {
  await insertTaskEvents(
    tx,
    tasks.map((t) => ({
      workspaceId,
      taskId: t.id,
      botId: t.botId,
      type: "canceled",
      detail: { reason, idempotencyKey: t.recalledKey },
    })),
  );
  if (tasks.length) await notifyBotActivity(tx, workspaceId);
}

/**
 * Of `due` (tasks the pull has locked), the ids that may be leased; the guards' refusals are
 * recalled and settled here. Tasks of actions without a guard pass untouched: without one
 * among them, this reads nothing.
 */
export async function withholdRefused(
  tx: Tx,
  workspaceId: string,
  due: { id: string; action: string }[],
): Promise<string[]> {
  const ids = due.map((t) => t.id);
  const guardedIds = due.filter((t) => guards.has(t.action)).map((t) => t.id);
  if (guardedIds.length === 0) return ids;
  const guarded = await findTaskPayloads(tx, workspaceId, guardedIds);
  const refused = new Map<string, string>();
  for (const [action, guard] of guards) {
    const candidates = guarded.filter((t) => t.action === action);
    if (candidates.length === 0) continue;
    const answer = await guard(
      tx,
      workspaceId,
      candidates.map((t) => ({ id: t.id, payload: t.payload })),
    );
    for (const [id, reason] of answer) refused.set(id, reason);
  }
  if (refused.size === 0) return ids;
  for (const reason of new Set(refused.values())) {
    const recalled = await recallPendingTasks(
      tx,
      workspaceId,
      [...refused].filter(([, r]) => r === reason).map(([id]) => id),
      reason,
    );
    await recordRecall(tx, workspaceId, recalled, reason);
    await runSettledHandlers(
      tx,
      recalled.map((t) => settledOfRecalled(workspaceId, t, reason)),
    );
  }
  return ids.filter((id) => !refused.has(id));
}
