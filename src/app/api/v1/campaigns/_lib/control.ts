/**
 * The four state changes of a campaign over REST. Each runs the same service the tRPC
 * procedures run (its own transactions, audit and job queueing), then answers with the
 * campaign as GET shows it, counters included.
 */
import {
  cancelCampaign,
  launchCampaign,
  pauseCampaign,
  resumeCampaign,
} from "@/modules/campaigns/campaign-launch.service";
import { getCampaign } from "@/modules/campaigns/campaigns.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";

const ACTIONS = {
  launchCampaign: launchCampaign,
  pauseCampaign: pauseCampaign,
  resumeCampaign: resumeCampaign,
  cancelCampaign: cancelCampaign,
} as const;

export function campaignControlRoute(operation: keyof typeof ACTIONS) {
  const op = API[operation];
  return withApiKey<{ id: string }>(op.scope, async (_req, ctx) => {
    const { id } = op.pathParams.parse(ctx.params);
    await ACTIONS[operation]({
      workspaceId: ctx.workspace.id,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      id,
    });
    const view = await ctx.tenant((tx) => getCampaign({ tx, workspaceId: ctx.workspace.id, id }));
    return Response.json(view);
  });
}
