/**
 * Campaigns: drafts, their preview, lists and reads. Launching, pausing and the send path
 * live in campaign-launch.service.ts and send-batch.ts.
 */
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { findBotsForCampaign } from "@/modules/bots/bots.service";
import { pacedDurationMs } from "@/modules/bots/pacing";
import { audienceSql } from "@/modules/contacts/contacts-audience";
import { requireGroup } from "@/modules/contacts/groups.service";
import type { Tx } from "@/server/db/tenant";
import type {
  CampaignDefinitionInput,
  CampaignPreview,
  CampaignView,
  CreateCampaignInput,
  ListCampaignsInput,
  UpdateCampaignInput,
} from "./campaigns.schema";
import {
  countsByCampaign,
  deleteCampaignRow,
  EMPTY_COUNTS,
  findCampaign,
  findCampaignsPage,
  insertCampaign,
  updateCampaignRow,
} from "./campaigns.queries";
import type { Campaign } from "./campaigns.table";
import { previewAudience, type MaterializePlan } from "./materialize.queries";
import { requiredVariables } from "./template-render";
import type { CampaignTemplate } from "./campaign-definition";

export type Actor = {
  tx: Tx;
  workspaceId: string;
  actorUserId: string | null;
  meta: RequestMeta | null;
  /** Who acted when no user did, e.g. `apikey:st_abc1234`. */
  actorLabel?: string | null;
};
type WorkspaceSettings = { id: string; cooloffDays: number };

/** Recipients per `campaign.send` job. */
export const BATCH_SIZE = 500;

export function toCampaignView(c: Campaign, counts = EMPTY_COUNTS): CampaignView {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    statusReason: c.statusReason,
    audience: c.audience,
    templates: c.templates,
    botIds: c.botIds,
    schedule: c.schedule,
    cooloffDays: c.cooloffDays,
    cooloffReason: c.cooloffReason,
    failureRate: c.failureRate,
    failureWindow: c.failureWindow,
    parentId: c.parentId,
    counts,
    launchedAt: c.launchedAt,
    completedAt: c.completedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function templateTexts(t: CampaignTemplate): string[] {
  return t.kind === "text" ? [t.body] : t.params;
}

export function planFor(
  workspace: WorkspaceSettings,
  def: Pick<CampaignDefinitionInput, "audience" | "templates" | "botIds" | "cooloffDays">,
  campaignId: string,
): MaterializePlan {
  return {
    workspaceId: workspace.id,
    campaignId,
    audience: audienceSql(workspace.id, def.audience),
    botIds: def.botIds,
    requiredByTemplate: def.templates.map((t) => requiredVariables(templateTexts(t))),
    cooloffDays: def.cooloffDays ?? workspace.cooloffDays,
    batchSize: BATCH_SIZE,
  };
}

async function assertGroups(
  tx: Tx,
  workspaceId: string,
  audience: CampaignDefinitionInput["audience"],
) {
  for (const [field, ids] of [
    ["audience.groupIds", audience.groupIds],
    ["audience.excludeGroupIds", audience.excludeGroupIds],
  ] as const) {
    for (const id of ids) {
      await requireGroup({ tx, workspaceId, id }).catch(() => {
        throw new AppError("BAD_REQUEST", "campaign.unknownGroup", { field });
      });
    }
  }
}

async function assertBots(tx: Tx, workspaceId: string, botIds: string[]) {
  const bots = await findBotsForCampaign(tx, workspaceId, botIds);
  const missing = botIds.filter((id) => !bots.some((b) => b.id === id));
  if (missing.length) {
    throw new AppError("BAD_REQUEST", "campaign.unknownBot", { field: "botIds" });
  }
  return bots;
}

export async function previewCampaign({
  tx,
  workspace,
  input,
}: {
  tx: Tx;
  workspace: WorkspaceSettings;
  input: CampaignDefinitionInput;
}): Promise<CampaignPreview> {
  const bots = await assertBots(tx, workspace.id, input.botIds);
  await assertGroups(tx, workspace.id, input.audience);
  const counts = await previewAudience(
    tx,
    planFor(workspace, input, "00000000-0000-0000-0000-000000000000"),
  );
  const willSend = counts.perBot.reduce((a, b) => a + b, 0);
  // Bots send in parallel: the campaign takes as long as its slowest bot's share.
  const perBotMs = input.botIds.map((id, i) => {
    const bot = bots.find((b) => b.id === id)!;
    return pacedDurationMs(bot, counts.perBot[i] ?? 0);
  });
  const slowest = Math.max(0, ...perBotMs);
  return {
    audience: counts.audience,
    willSend,
    skipped: counts.skipped,
    estimatedSeconds: willSend === 0 ? 0 : slowest > 0 ? Math.ceil(slowest / 1000) : null,
  };
}

export async function createCampaign({
  tx,
  workspaceId,
  actorUserId,
  meta,
  actorLabel = null,
  input,
}: Actor & { input: CreateCampaignInput }): Promise<Campaign> {
  await assertBots(tx, workspaceId, input.botIds);
  await assertGroups(tx, workspaceId, input.audience);
  const campaign = await insertCampaign(tx, { workspaceId, createdBy: actorUserId, ...input });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    actorLabel,
    action: "campaign.created",
    target: { type: "campaign", id: campaign.id },
    after: {
      name: input.name,
      botIds: input.botIds,
      schedule: input.schedule,
      cooloffDays: input.cooloffDays,
      cooloffReason: input.cooloffReason,
    },
  });
  return campaign;
}

export async function requireCampaign(tx: Tx, workspaceId: string, id: string): Promise<Campaign> {
  const c = await findCampaign(tx, workspaceId, id);
  if (!c) throw new AppError("NOT_FOUND", "campaign.notFound");
  return c;
}

export async function updateCampaign({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input: { id, ...patch },
}: Actor & { input: UpdateCampaignInput }): Promise<Campaign> {
  const before = await requireCampaign(tx, workspaceId, id);
  if (before.status !== "draft") {
    throw new AppError("CONFLICT", "campaign.onlyDraftEditable");
  }
  await assertBots(tx, workspaceId, patch.botIds);
  await assertGroups(tx, workspaceId, patch.audience);
  const updated = await updateCampaignRow(tx, workspaceId, id, patch);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "campaign.updated",
    target: { type: "campaign", id },
    before: { name: before.name, cooloffDays: before.cooloffDays },
    after: { name: patch.name, cooloffDays: patch.cooloffDays, cooloffReason: patch.cooloffReason },
  });
  return updated!;
}

export async function deleteDraft({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Actor & { id: string }) {
  const c = await requireCampaign(tx, workspaceId, id);
  if (c.status !== "draft") throw new AppError("CONFLICT", "campaign.onlyDraftDeletable");
  await deleteCampaignRow(tx, workspaceId, id);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "campaign.deleted",
    target: { type: "campaign", id },
    before: { name: c.name },
  });
}

export async function getCampaign({
  tx,
  workspaceId,
  id,
}: {
  tx: Tx;
  workspaceId: string;
  id: string;
}) {
  const c = await requireCampaign(tx, workspaceId, id);
  const counts = await countsByCampaign(tx, workspaceId, [id]);
  return toCampaignView(c, counts.get(id));
}

export async function listCampaigns({
  tx,
  workspaceId,
  input,
}: {
  tx: Tx;
  workspaceId: string;
  input: ListCampaignsInput;
}) {
  const { rows, total } = await findCampaignsPage(tx, workspaceId, input);
  const counts = await countsByCampaign(
    tx,
    workspaceId,
    rows.map((r) => r.id),
  );
  return { rows: rows.map((r) => toCampaignView(r, counts.get(r.id))), total };
}
