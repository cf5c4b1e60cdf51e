/**
 * Other modules react to a task reaching its end without this module knowing them: campaigns
 * registers a handler for `send_message` so settling the task settles its recipient. Handlers
 * run inside the transaction that settles the task (same commit or rollback), once per task,
 * and only for final outcomes — a failure that will be retried is not one.
 */
import type { Tx } from "@/server/db/tenant";
import type { TaskStatusValue } from "./tasks.table";

export type SettledTask = {
  workspaceId: string;
  id: string;
  botId: string;
  action: string;
  payload: Record<string, unknown>;
  status: Extract<TaskStatusValue, "SUCCEEDED" | "FAILED" | "CANCELED" | "TIMED_OUT">;
  /** What the agent reported: `providerMessageId`, its own output. */
  result: Record<string, unknown> | null;
  /** Error code (`timeout`, `lease_expired`, `canceled`, or the agent's). */
  error: string | null;
  attempts: number;
};

export type TaskSettledHandler = (tx: Tx, task: SettledTask) => Promise<void>;

// One registry per process: Next bundles route handlers with their own module copies.
const holder = globalThis as { __salestrackTaskSettled?: Map<string, TaskSettledHandler[]> };
const handlers: Map<string, TaskSettledHandler[]> = (holder.__salestrackTaskSettled ??= new Map());

/** Registers `handler` for tasks of `action`; returns a function that removes it. */
export function onTaskSettled(action: string, handler: TaskSettledHandler): () => void {
  const list = handlers.get(action) ?? [];
  if (!list.includes(handler)) handlers.set(action, [...list, handler]);
  return () =>
    handlers.set(
      action,
      (handlers.get(action) ?? []).filter((h) => h !== handler),
    );
}

export async function runSettledHandlers(tx: Tx, tasks: SettledTask[]): Promise<void> {
  for (const task of tasks) {
    for (const handler of handlers.get(task.action) ?? []) await handler(tx, task);
  }
}
