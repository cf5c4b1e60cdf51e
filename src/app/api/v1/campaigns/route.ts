import { createCampaign, getCampaign, listCampaigns } from "@/modules/campaigns/campaigns.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";
import { readJson, readQuery } from "../_lib/request";

export const GET = withApiKey(API.listCampaigns.scope, async (req, ctx) => {
  const input = readQuery(req, API.listCampaigns.query);
  const { rows, total } = await ctx.tenant((tx) =>
    listCampaigns({ tx, workspaceId: ctx.workspace.id, input }),
  );
  return Response.json({ data: rows, page: input.page, pageSize: input.pageSize, total });
});

export const POST = withApiKey(API.createCampaign.scope, async (req, ctx) => {
  const input = await readJson(req, API.createCampaign.body.zod);
  const view = await ctx.tenant(async (tx) => {
    const campaign = await createCampaign({
      tx,
      workspaceId: ctx.workspace.id,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      input,
    });
    // The same view GET answers: a fresh draft's counts are all zero.
    return getCampaign({ tx, workspaceId: ctx.workspace.id, id: campaign.id });
  });
  return Response.json(view, { status: 201 });
});
