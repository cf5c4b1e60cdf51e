import { getCampaign } from "@/modules/campaigns/campaigns.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";

type Params = { id: string };

export const GET = withApiKey<Params>(API.getCampaign.scope, async (_req, ctx) => {
  const { id } = API.getCampaign.pathParams.parse(ctx.params);
  const view = await ctx.tenant((tx) => getCampaign({ tx, workspaceId: ctx.workspace.id, id }));
  return Response.json(view);
});
