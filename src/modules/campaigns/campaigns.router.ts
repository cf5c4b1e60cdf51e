import { nextNotification } from "@/server/realtime/notifications";
import { actorOf, createTRPCRouter, requirePermission } from "@/server/trpc";
import {
  campaignDefinitionInput,
  campaignIdInput,
  createCampaignInput,
  listCampaignsInput,
  listRecipientsInput,
  templatePreviewInput,
  updateCampaignInput,
} from "./campaigns.schema";
import {
  createCampaign,
  deleteDraft,
  getCampaign,
  listCampaigns,
  previewCampaign,
  updateCampaign,
} from "./campaigns.service";
import {
  cancelCampaign,
  launchCampaign,
  pauseCampaign,
  resumeCampaign,
} from "./campaign-launch.service";
import { campaignActivity, listRecipients, previewTemplate } from "./campaign-reads.service";

const read = requirePermission("campaigns:read");
const write = requirePermission("campaigns:write");

const TERMINAL = new Set(["completed", "canceled", "failed"]);

export const campaignsRouter = createTRPCRouter({
  list: read
    .input(listCampaignsInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listCampaigns({ tx, workspaceId: ctx.workspace.id, input })),
    ),

  get: read
    .input(campaignIdInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => getCampaign({ tx, workspaceId: ctx.workspace.id, id: input.id })),
    ),

  /** Audience size, skips by reason and duration estimate for a definition (saved or not). */
  preview: read
    .input(campaignDefinitionInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => previewCampaign({ tx, workspace: ctx.workspace, input })),
    ),

  previewTemplate: read
    .input(templatePreviewInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => previewTemplate({ tx, workspaceId: ctx.workspace.id, ...input })),
    ),

  create: write
    .input(createCampaignInput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => createCampaign({ tx, ...actorOf(ctx), input })),
    ),

  update: write
    .input(updateCampaignInput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => updateCampaign({ tx, ...actorOf(ctx), input })),
    ),

  delete: write
    .input(campaignIdInput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => deleteDraft({ tx, ...actorOf(ctx), id: input.id })),
    ),

  launch: write
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => launchCampaign({ ...actorOf(ctx), id: input.id })),
  pause: write
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => pauseCampaign({ ...actorOf(ctx), id: input.id })),
  resume: write
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => resumeCampaign({ ...actorOf(ctx), id: input.id })),
  cancel: write
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => cancelCampaign({ ...actorOf(ctx), id: input.id })),

  recipients: read
    .input(listRecipientsInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listRecipients({ tx, workspaceId: ctx.workspace.id, input })),
    ),

  /** Recent failures and the next runs of a recurring campaign. */
  activity: read
    .input(campaignIdInput)
    .query(({ ctx, input }) =>
      campaignActivity({ workspace: ctx.workspace, id: input.id, tenant: ctx.tenant }),
    ),

  /**
   * Live progress over SSE: pushed on each settled chunk (batched notifications), polled
   * every 2 s as a floor. Access is checked before the stream starts, so a foreign or unknown
   * id answers NOT_FOUND instead of failing mid-stream.
   */
  progress: read.input(campaignIdInput).subscription(async ({ ctx, input, signal }) => {
    const read = () =>
      ctx.tenant((tx) => getCampaign({ tx, workspaceId: ctx.workspace.id, id: input.id }));
    let view = await read();
    return (async function* () {
      let last = "";
      for (;;) {
        const key = JSON.stringify([view.status, view.statusReason, view.counts]);
        if (key !== last) {
          last = key;
          yield { ...view, at: Date.now() };
        }
        if (TERMINAL.has(view.status) || signal?.aborted) return;
        await nextNotification("campaign_progress", input.id, 2000, signal);
        view = await read();
      }
    })();
  }),
});
