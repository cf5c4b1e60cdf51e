/**
 * What the dashboard reads of bot tasks (the stats module calls these; it never reads
 * `bot_task` or `task_event` itself): final outcomes to fold into its counters, the
 * workspaces that have any, and the tasks open right now.
 */
import type { Tx } from "@/server/db/tenant";
import { countOpenTasks } from "./task-stats.queries";

export { taskOutcomesSince, workspacesWithTaskEvents } from "./task-stats.queries";

export async function openTaskCounts({
  tx,
  workspaceId,
  botId,
}: {
  tx: Tx;
  workspaceId: string;
  botId?: string;
}) {
  const open = await countOpenTasks(tx, workspaceId, botId);
  const n = (status: string) => open.find((o) => o.status === status)?.n ?? 0;
  return { pending: n("PENDING"), leased: n("LEASED"), running: n("RUNNING") };
}
