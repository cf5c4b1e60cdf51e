import { z } from "zod";
import { nextNotification } from "@/server/realtime/notifications";
import { sharedRead } from "@/server/realtime/shared-read";
import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { listLogs, logsAfter } from "./logs.service";
import { listLogsInput, logView, type LogView } from "./tasks.schema";

const read = requirePermission("logs:read");

const streamInput = listLogsInput.omit({ cursor: true, limit: true });

export const logsRouter = createTRPCRouter({
  list: read
    .input(listLogsInput)
    .output(
      z.object({
        rows: z.array(logView),
        nextCursor: z.object({ occurredAt: z.date(), id: z.number() }).nullable(),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listLogs({ tx, workspaceId: ctx.workspace.id, input })),
    ),

  /**
   * New lines as they are written, in batches: woken by the workspace's `bot_activity`
   * notification (one LISTEN per process), with a slow poll as the safety net. Subscribers
   * with the same filters at the same line share one read per notification.
   */
  stream: read.input(streamInput).subscription(async function* ({ ctx, input, signal }) {
    const workspaceId = ctx.workspace.id;
    // From the newest line of the workspace that exists now, whatever the filters: history
    // is the list's job, and a read then covers only lines written since (from the newest
    // *matching* line, a rare filter re-read every line after it on every wake).
    const [latest] = (await ctx.tenant((tx) => listLogs({ tx, workspaceId, input: { limit: 1 } })))
      .rows;
    let after = latest
      ? { occurredAt: latest.occurredAt, id: latest.id }
      : { occurredAt: new Date(), id: 0 };
    const filters = JSON.stringify(input);
    while (!signal?.aborted) {
      const wokenAt = await nextNotification("bot_activity", workspaceId, 5000, signal);
      const from = after;
      const key = `logs:${workspaceId}:${filters}:${from.occurredAt.toISOString()}:${from.id}`;
      const rows: LogView[] = await sharedRead(key, wokenAt, () =>
        ctx.tenant((tx) => logsAfter({ tx, workspaceId, filters: input, after: from })),
      );
      if (rows.length === 0) continue;
      const last = rows.at(-1)!;
      after = { occurredAt: last.occurredAt, id: last.id };
      yield rows;
    }
  }),
});
