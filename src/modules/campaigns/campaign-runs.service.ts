/**
 * Runs of a saved campaign started by someone else's clock (the schedules module): a new
 * campaign with the saved one's definition, running at once, numbered like a recurring
 * campaign's runs. Written in the caller's transaction; its materialize job is queued after
 * the commit (`queueCampaignRun`; the campaign maintenance job re-queues one a crash lost).
 */
import { sql } from "drizzle-orm";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import { enqueue } from "@jobs/enqueue";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { insertCampaign } from "./campaigns.queries";
import { notifyCampaign } from "./campaign-launch.service";
import { requireCampaign } from "./campaigns.service";
import type { Campaign } from "./campaigns.table";

export async function startCampaignRun({
  tx,
  workspaceId,
  campaignId,
  scheduleId,
}: {
  tx: Tx;
  workspaceId: string;
  campaignId: string;
  scheduleId: string;
}): Promise<Campaign> {
  const saved = await requireCampaign(tx, workspaceId, campaignId);
  const { rows } = await tx.execute<{ n: number }>(
    sql`select count(*)::int as n from campaign where workspace_id = ${workspaceId} and parent_id = ${campaignId}`,
  );
  const run = await insertCampaign(tx, {
    workspaceId,
    name: `${saved.name} #${Number(rows[0]!.n) + 1}`,
    status: "running",
    audience: saved.audience,
    templates: saved.templates,
    botIds: saved.botIds,
    schedule: { type: "now" },
    cooloffDays: saved.cooloffDays,
    cooloffReason: saved.cooloffReason,
    failureRate: saved.failureRate,
    failureWindow: saved.failureWindow,
    parentId: saved.id,
    createdBy: saved.createdBy,
    launchedAt: new Date(),
  });
  await recordAudit(tx, null, {
    workspaceId,
    actorUserId: null,
    actorLabel: "system",
    action: "campaign.run_created",
    target: { type: "campaign", id: run.id },
    after: { status: "running", parentId: saved.id, scheduleId },
  });
  await notifyCampaign(tx, run.id);
  return run;
}

export async function queueCampaignRun(workspaceId: string, runId: string): Promise<void> {
  await enqueue(materializeCampaign, { workspaceId, campaignId: runId });
}
