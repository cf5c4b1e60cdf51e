/**
 * Log lines from bots and tasks: written by signed `TASK_LOG` events (and the bridge's own
 * notes), read as paginated history and as a live stream (logs.router.ts).
 */
import type { Tx } from "@/server/db/tenant";
import { findLogsAfter, findLogsPage, insertLogs, type NewLog } from "./logs.queries";
import type { ListLogsInput, LogView } from "./tasks.schema";
import type { LogRow } from "./tasks.table";
import { notifyBotActivity } from "./tasks.queries";

export function toLogView(row: LogRow): LogView {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    level: row.level,
    message: row.message,
    context: row.context,
    botId: row.botId,
    taskId: row.taskId,
  };
}

export async function appendLogs(tx: Tx, workspaceId: string, rows: Omit<NewLog, "workspaceId">[]) {
  await insertLogs(
    tx,
    rows.map((r) => ({ ...r, workspaceId })),
  );
  await notifyBotActivity(tx, workspaceId);
}

export async function listLogs({
  tx,
  workspaceId,
  input,
}: {
  tx: Tx;
  workspaceId: string;
  input: ListLogsInput;
}) {
  const rows = await findLogsPage(tx, workspaceId, input);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    rows: page.map(toLogView),
    nextCursor:
      rows.length > input.limit && last ? { occurredAt: last.occurredAt, id: last.id } : null,
  };
}

export async function logsAfter({
  tx,
  workspaceId,
  filters,
  after,
  limit = 500,
}: {
  tx: Tx;
  workspaceId: string;
  filters: Omit<ListLogsInput, "cursor" | "limit">;
  after: { occurredAt: Date; id: number };
  limit?: number;
}): Promise<LogView[]> {
  return (await findLogsAfter(tx, workspaceId, filters, after, limit)).map(toLogView);
}
