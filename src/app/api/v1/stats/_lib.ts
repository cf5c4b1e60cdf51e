/**
 * REST twins of the `stats.*` procedures: the API key's workspace, in that workspace's time
 * zone, through the same services.
 */
import type { z } from "zod";
import type { StatsScope } from "@/modules/stats/stats.service";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { withApiKey } from "@/server/http/api-key-auth";
import type { ApiOperation } from "@/server/openapi/operations";
import { readQuery } from "../_lib/request";

export function statsGet<S extends z.ZodObject, T>(
  op: ApiOperation & { query: S },
  answer: (scope: StatsScope, input: z.output<S>) => Promise<T>,
) {
  return withApiKey(op.scope, async (req, ctx) => {
    const input = readQuery(req, op.query);
    const data = await ctx.tenant(async (tx) => {
      const { timeZone } = await getWorkspace({ tx, workspaceId: ctx.workspace.id });
      return answer({ tx, workspaceId: ctx.workspace.id, timeZone }, input);
    });
    return Response.json(data);
  });
}
