import { z } from "zod";
import { nextNotification } from "@/server/realtime/notifications";
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
   * notification (one LISTEN per process), with a slow poll as the safety net.
   */
  stream: read.input(streamInput).subscription(async function* ({ ctx, input, signal }) {
    const workspaceId = ctx.workspace.id;
    // From the newest line that exists now: history is the list's job.
    const [latest] = (
      await ctx.tenant((tx) => listLogs({ tx, workspaceId, input: { ...input, limit: 1 } }))
    ).rows;
    let after = latest
      ? { occurredAt: latest.occurredAt, id: latest.id }
      : { occurredAt: new Date(), id: 0 };
    while (!signal?.aborted) {
      await nextNotification("bot_activity", workspaceId, 5000, signal);
      const rows: LogView[] = await ctx.tenant((tx) =>
        logsAfter({ tx, workspaceId, filters: input, after }),
      );
      if (rows.length === 0) continue;
      const last = rows.at(-1)!;
      after = { occurredAt: last.occurredAt, id: last.id };
      yield rows;
    }
  }),
});
