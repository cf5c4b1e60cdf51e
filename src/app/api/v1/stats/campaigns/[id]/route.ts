import { campaignReport } from "@/modules/stats/campaign-report.service";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";

type Params = { id: string };

export const GET = withApiKey<Params>(API.statsCampaignReport.scope, async (_req, ctx) => {
  const { id } = API.statsCampaignReport.pathParams.parse(ctx.params);
  const report = await ctx.tenant(async (tx) => {
    const { timeZone } = await getWorkspace({ tx, workspaceId: ctx.workspace.id });
    return campaignReport({ tx, workspaceId: ctx.workspace.id, timeZone, campaignId: id });
  });
  return Response.json(report);
});
