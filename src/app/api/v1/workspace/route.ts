import {
  getWorkspace,
  updateWorkspaceSettings,
  workspaceSettingsOf,
} from "@/modules/workspaces/workspaces.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";
import { readJson } from "../_lib/request";

export const PATCH = withApiKey(API.updateWorkspaceSettings.scope, async (req, ctx) => {
  const patch = await readJson(req, API.updateWorkspaceSettings.body.zod);
  const saved = await ctx.tenant(async (tx) => {
    const workspace = await getWorkspace({ tx, workspaceId: ctx.workspace.id });
    return updateWorkspaceSettings({
      tx,
      workspace,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      input: { ...workspaceSettingsOf(workspace), ...patch },
    });
  });
  return Response.json(workspaceSettingsOf(saved));
});
