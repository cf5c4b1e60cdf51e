/**
 * Signed `TASK_LOG` events written in groups (group commit in the process): while one
 * workspace's transaction is in flight, the log events that arrive for it wait and go
 * together into the next — receipts in one INSERT, each bot's last-seen touched once, the
 * lines in one INSERT, one `bot_activity` NOTIFY, one commit — and each request is answered
 * once that commit is done (persisted, then acknowledged). An event arriving alone is written
 * at once, on its own, so a quiet stream sees no added delay. A transaction per event (six
 * round trips, and a NOTIFY whose commit queues behind every other notifying commit's WAL
 * flush) held the lane to a fraction of a bare INSERT-per-event server
 * (`npm run bench -- webhooks`, docs/benchmarks.md).
 */
import { acceptEventIds, markAgentSeen } from "@/modules/bots/agents.service";
import { withTenant, type Tx } from "@/server/db/tenant";
import type { NewLog } from "./logs.queries";
import { appendLogs } from "./logs.service";

export type LogEvent = {
  botId: string;
  webhookId: string;
  line: Omit<NewLog, "workspaceId" | "botId">;
};

type Waiting = LogEvent & { done: (duplicate: boolean) => void; fail: (err: unknown) => void };
type Queue = { waiting: Waiting[]; running: boolean };

/** Lines per transaction: bounded, so one commit never holds a huge batch's answers. */
const MAX_BATCH = 500;
const queues = new Map<string, Queue>();

const keyOf = (e: LogEvent) => `${e.botId}:${e.webhookId}`;

/**
 * Writes one group in the caller's transaction; returns the events applied — the first of
 * each `webhook-id` not seen before (a replay, or a repeat within the group, is not).
 */
async function writeGroup(tx: Tx, workspaceId: string, events: LogEvent[]): Promise<Set<LogEvent>> {
  const fresh = await acceptEventIds(
    tx,
    workspaceId,
    events.map(({ botId, webhookId }) => ({ botId, webhookId })),
  );
  const applied = new Set<LogEvent>();
  for (const e of events) {
    if (fresh.delete(keyOf(e))) applied.add(e);
  }
  if (applied.size === 0) return applied;
  for (const botId of new Set([...applied].map((e) => e.botId))) {
    await markAgentSeen(tx, workspaceId, botId);
  }
  // Notifies the workspace's live views, once for the group.
  await appendLogs(
    tx,
    workspaceId,
    [...applied].map((e) => ({ ...e.line, botId: e.botId })),
  );
  return applied;
}

async function commitGroup(workspaceId: string, group: Waiting[]): Promise<void> {
  const applied = await withTenant({ workspaceId }, (tx) => writeGroup(tx, workspaceId, group));
  for (const e of group) e.done(!applied.has(e));
}

async function drain(workspaceId: string, queue: Queue): Promise<void> {
  queue.running = true;
  while (queue.waiting.length > 0) {
    const group = queue.waiting.splice(0, MAX_BATCH);
    try {
      await commitGroup(workspaceId, group);
    } catch {
      // One event that cannot be written must not fail its neighbours: each on its own.
      await Promise.all(
        group.map((e) => commitGroup(workspaceId, [e]).catch((err: unknown) => e.fail(err))),
      );
    }
  }
  queue.running = false;
  queues.delete(workspaceId);
}

/** Resolves once the line is committed: `true` when its `webhook-id` was a replay. */
export function writeLogEvent(workspaceId: string, event: LogEvent): Promise<boolean> {
  let queue = queues.get(workspaceId);
  if (!queue) {
    queue = { waiting: [], running: false };
    queues.set(workspaceId, queue);
  }
  const promise = new Promise<boolean>((done, fail) =>
    queue.waiting.push({ ...event, done, fail }),
  );
  if (!queue.running) void drain(workspaceId, queue);
  return promise;
}
