/**
 * A campaign's life after the draft: launch (now, at a time, or on a cron), materialize,
 * pause, resume, cancel, complete. State changes are compare-and-set on the status, audited,
 * and announced on `campaign_progress`; jobs are queued after the commit that justifies them
 * (the maintenance job re-queues anything a crash between the two left behind).
 */
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { zonedWallTimeToDate } from "@/lib/zoned-time";
import { recordAudit } from "@/modules/audit/audit.service";
import { findBotsForCampaign } from "@/modules/bots/bots.service";
import { cronProblem, slotAt, slotClaimable } from "@/modules/schedules/cron-preview";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { systemDb } from "@/server/db/client";
import { getBoss } from "@/server/queue/boss";
import { withTenant, type Tx } from "@/server/db/tenant";
import { enqueue, enqueueMany } from "@jobs/enqueue";
import { fireCampaignSchedule } from "@jobs/campaigns/fire-schedule.job";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { sendCampaignBatch } from "@jobs/campaigns/send.job";
import { recallAgentSends } from "./agent-bridge";
import {
  insertCampaign,
  lockCampaign,
  runningCampaignsOfBot,
  transitionCampaign,
  updateCampaignRow,
} from "./campaigns.queries";
import { planFor, requireCampaign } from "./campaigns.service";
import { campaigns, type Campaign, type CampaignStatus } from "./campaigns.table";
import { insertRecipients } from "./materialize.queries";
import { cancelQueued, hasPending, pendingBatches } from "./send.queries";

type Who = {
  workspaceId: string;
  actorUserId: string | null;
  meta: RequestMeta | null;
  /** Who acted when no user did, e.g. `apikey:st_abc1234` (else "system"). */
  actorLabel?: string | null;
};

export async function notifyCampaign(tx: Tx, campaignId: string) {
  await tx.execute(sql`select pg_notify('campaign_progress', ${campaignId})`);
}

/** Queues one send job per batch, tagged with its bot's concurrency tier. */
export async function enqueueBatches(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  batches: { batch: number; botId: string }[],
) {
  if (batches.length === 0) return;
  const bots = await findBotsForCampaign(tx, workspaceId, [
    ...new Set(batches.map((b) => b.botId)),
  ]);
  const concurrency = new Map(bots.map((b) => [b.id, b.concurrency]));
  await enqueueMany(
    sendCampaignBatch,
    batches.map(({ batch, botId }) => ({
      workspaceId,
      campaignId,
      botId,
      batch,
      concurrency: concurrency.get(botId) ?? 1,
    })),
  );
}

async function audit(
  tx: Tx,
  who: Who,
  action: string,
  campaign: Campaign,
  after: Record<string, unknown> = {},
) {
  await recordAudit(tx, who.meta, {
    workspaceId: who.workspaceId,
    actorUserId: who.actorUserId,
    actorLabel: who.actorUserId ? null : (who.actorLabel ?? "system"),
    action,
    target: { type: "campaign", id: campaign.id },
    before: { status: campaign.status },
    after,
  });
}

/**
 * pg-boss's schedule of a recurring campaign: key = campaign id, `tz` = the workspace's zone
 * (re-installed when that zone changes, `rescheduleRecurringCampaigns`).
 */
export async function installCampaignSchedule(
  workspaceId: string,
  campaign: Pick<Campaign, "id" | "schedule">,
  timeZone: string,
) {
  if (campaign.schedule.type !== "cron") return;
  await (
    await getBoss()
  ).schedule(
    fireCampaignSchedule.name,
    campaign.schedule.cron,
    { workspaceId, campaignId: campaign.id },
    { tz: timeZone, key: campaign.id },
  );
}

/**
 * A cron launch installs its pg-boss schedule before the transaction that marks it
 * `scheduled` commits: a schedule pg-boss refuses rolls the launch back (the campaign stays a
 * draft), and a commit failing after it leaves a schedule whose first firing finds no
 * scheduled campaign and removes it.
 */
export async function launchCampaign(who: Who & { id: string }): Promise<Campaign> {
  const { workspaceId, id } = who;
  const { campaign, startAt } = await withTenant({ workspaceId }, async (tx) => {
    const current = await lockCampaign(tx, workspaceId, id);
    if (!current) throw new AppError("NOT_FOUND", "campaign.notFound");
    if (current.status !== "draft") throw new AppError("CONFLICT", "campaign.onlyDraftLaunchable");
    // A draft's bot may have been deleted since it was saved: its sends would never run.
    const bots = await findBotsForCampaign(tx, workspaceId, current.botIds);
    if (bots.length < new Set(current.botIds).size)
      throw new AppError("BAD_REQUEST", "campaign.botDeleted", { field: "botIds" });
    const workspace = await getWorkspace({ tx, workspaceId });
    const schedule = current.schedule;
    let startAt: Date | null = null;
    if (schedule.type === "at") {
      startAt = zonedWallTimeToDate(schedule.at, workspace.timeZone);
      if (startAt.getTime() < Date.now() - 60_000) {
        throw new AppError("BAD_REQUEST", "campaign.scheduledInPast", { field: "schedule.at" });
      }
    }
    // The definition's schema refuses anything but a five-field cron; a draft saved before it
    // did (an RRULE, an ended rule) is refused here rather than by pg-boss after the commit.
    if (schedule.type === "cron" && cronProblem(schedule.cron)) {
      throw new AppError("BAD_REQUEST", "campaign.cronInvalid", { field: "schedule.cron" });
    }
    const status: CampaignStatus = schedule.type === "now" ? "running" : "scheduled";
    const updated = await transitionCampaign(tx, workspaceId, id, ["draft"], {
      status,
      statusReason: null,
      launchedAt: schedule.type === "now" ? new Date() : null,
    });
    await audit(tx, who, "campaign.launched", current, { status, schedule });
    await notifyCampaign(tx, id);
    // Checked above with the parser pg-boss uses: a failure here rolls the launch back.
    if (schedule.type === "cron")
      await installCampaignSchedule(workspaceId, updated!, workspace.timeZone);
    return { campaign: updated!, startAt };
  });
  if (campaign.schedule.type !== "cron") {
    await enqueue(
      materializeCampaign,
      { workspaceId, campaignId: id },
      startAt ? { startAfter: startAt } : {},
    );
  }
  return campaign;
}

/**
 * The workspace's time zone changed (workspaces.service.ts, in the same transaction): every
 * recurring campaign still `scheduled` gets its pg-boss schedule again with the new zone, so
 * it fires when its page's next runs (computed in that zone) say. A pg-boss failure rolls the
 * change back; a commit failing after it is caught by the next firing, which re-installs the
 * schedule in the zone the workspace then has.
 */
export async function rescheduleRecurringCampaigns(tx: Tx, workspaceId: string, timeZone: string) {
  const rows = await tx
    .select({ id: campaigns.id, schedule: campaigns.schedule })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, workspaceId),
        eq(campaigns.status, "scheduled"),
        sql`${campaigns.schedule}->>'type' = 'cron'`,
      ),
    )
    .for("update");
  for (const row of rows) await installCampaignSchedule(workspaceId, row, timeZone);
  return { rescheduled: rows.length };
}

/** The `campaign.materialize` job: recipients in one statement, then their send batches. */
export async function materialize({
  workspaceId,
  campaignId,
}: {
  workspaceId: string;
  campaignId: string;
}) {
  const batches = await withTenant({ workspaceId }, async (tx) => {
    let campaign = await lockCampaign(tx, workspaceId, campaignId);
    if (!campaign) return [];
    if (campaign.status === "scheduled" && campaign.schedule.type === "at") {
      campaign = (await transitionCampaign(tx, workspaceId, campaignId, ["scheduled"], {
        status: "running",
        launchedAt: new Date(),
      }))!;
      await audit(tx, { workspaceId, actorUserId: null, meta: null }, "campaign.started", campaign);
    }
    if (campaign.status !== "running") return [];
    const already = await tx.execute<{ any: boolean }>(
      sql`select exists (select 1 from campaign_recipient where workspace_id = ${workspaceId} and campaign_id = ${campaignId}) as any`,
    );
    if (already.rows[0]!.any) {
      const pending = await pendingBatches(tx, workspaceId, campaignId);
      // Everything settled while it was paused (e.g. a failure spike on the last round).
      if (pending.length === 0 && (await completeIfDone(tx, workspaceId, campaignId))) {
        await notifyCampaign(tx, campaignId);
      }
      return pending;
    }
    const workspace = await getWorkspace({ tx, workspaceId });
    const result = await insertRecipients(tx, planFor(workspace, campaign, campaignId));
    await updateCampaignRow(tx, workspaceId, campaignId, { total: result.total });
    if (result.queued === 0) await completeIfDone(tx, workspaceId, campaignId);
    await notifyCampaign(tx, campaignId);
    return result.batches;
  });
  // Fresh statistics before the first claim: the planner would otherwise see the campaign's
  // just-inserted rows as absent and pick plans that scan all of them per claim.
  if (batches.length) await systemDb().execute(sql`analyze campaign_recipient`);
  await withTenant({ workspaceId }, (tx) => enqueueBatches(tx, workspaceId, campaignId, batches));
  return { batches: batches.length };
}

/** The database's clock: the one pg-boss decides an occurrence is due by. */
async function databaseNow(tx: Tx): Promise<Date> {
  const { rows } = await tx.execute<{ now: string | Date }>(sql`select clock_timestamp() as now`);
  return new Date(rows[0]!.now);
}

/**
 * The occurrence a firing at `at` serves, and whether it is still unclaimed. A five-field
 * cron follows the schedules' rule (cron-preview.ts): the latest occurrence at or before `at`
 * (pg-boss's `prev()`), claimable at or after the first `next()` occurrence following the last
 * one fired, which drops the repeated wall time of the autumn DST night. A legacy expression
 * cron-parser cannot read (an RRULE saved before the definition refused them) is filed under
 * its minute.
 */
function firingSlot(cron: string, timeZone: string, at: Date, lastFired: Date | null) {
  if (cronProblem(cron)) {
    const slot = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    return { slot, claimable: !lastFired || slot.getTime() > lastFired.getTime() };
  }
  const slot = slotAt(cron, timeZone, at);
  return { slot, claimable: slotClaimable(cron, timeZone, lastFired, slot) };
}

export type RecurringFiring =
  | { created: string; slot: string }
  | { created: null; duplicate: true; slot: string }
  | { created: null; duplicate?: undefined };

/**
 * A recurring campaign's firing: a new run with the same definition, launched at once. The
 * parent is locked and its `last_fired_slot` moved to the occurrence in the transaction that
 * inserts the run, so a job retried after its run committed, two deliveries of one
 * occurrence, or the repeated autumn wall time create one run.
 */
export async function fireRecurringCampaign({
  workspaceId,
  campaignId,
  firingId,
  at,
}: {
  workspaceId: string;
  campaignId: string;
  /** The pg-boss job, recorded in the run's audit entry. */
  firingId?: string;
  /** When the firing happens; the database's clock when left out (tests pass their own). */
  at?: Date;
}): Promise<RecurringFiring> {
  const outcome = await withTenant({ workspaceId }, async (tx) => {
    const parent = await lockCampaign(tx, workspaceId, campaignId);
    if (!parent || parent.status !== "scheduled" || parent.schedule.type !== "cron") return null;
    const { timeZone } = await getWorkspace({ tx, workspaceId });
    const { slot, claimable } = firingSlot(
      parent.schedule.cron,
      timeZone,
      at ?? (await databaseNow(tx)),
      parent.lastFiredSlot,
    );
    if (!claimable) return { run: null, slot, timeZone };
    // The claim; `updated_at` stays the definition's last edit.
    await tx
      .update(campaigns)
      .set({ lastFiredSlot: slot, updatedAt: sql`${campaigns.updatedAt}` })
      .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, campaignId)));
    const runNumber =
      Number(
        (
          await tx.execute<{ n: number }>(
            sql`select count(*)::int as n from campaign where workspace_id = ${workspaceId} and parent_id = ${campaignId}`,
          )
        ).rows[0]!.n,
      ) + 1;
    const child = await insertCampaign(tx, {
      workspaceId,
      name: `${parent.name} #${runNumber}`,
      status: "running",
      audience: parent.audience,
      templates: parent.templates,
      botIds: parent.botIds,
      schedule: { type: "now" },
      cooloffDays: parent.cooloffDays,
      cooloffReason: parent.cooloffReason,
      failureRate: parent.failureRate,
      failureWindow: parent.failureWindow,
      parentId: parent.id,
      createdBy: parent.createdBy,
      launchedAt: new Date(),
    });
    await audit(tx, { workspaceId, actorUserId: null, meta: null }, "campaign.run_created", child, {
      parentId: parent.id,
      slot: slot.toISOString(),
      ...(firingId ? { firingId } : {}),
    });
    return { run: child, slot, timeZone };
  });
  const boss = await getBoss();
  if (!outcome) {
    await boss.unschedule(fireCampaignSchedule.name, campaignId);
    return { created: null };
  }
  // A time-zone change whose pg-boss update was lost (launch racing it, a failed commit):
  // the schedule goes back to the zone the workspace has.
  const held = await boss.getSchedule(fireCampaignSchedule.name, campaignId);
  if (held && held.timezone !== outcome.timeZone) {
    await boss.schedule(fireCampaignSchedule.name, held.cron, held.data ?? {}, {
      tz: outcome.timeZone,
      key: campaignId,
    });
  }
  if (!outcome.run) return { created: null, duplicate: true, slot: outcome.slot.toISOString() };
  await enqueue(materializeCampaign, { workspaceId, campaignId: outcome.run.id });
  return { created: outcome.run.id, slot: outcome.slot.toISOString() };
}

async function change(
  who: Who & { id: string },
  from: CampaignStatus[],
  to: CampaignStatus,
  action: string,
  extra: (tx: Tx, campaign: Campaign) => Promise<Record<string, unknown>> = async () => ({}),
): Promise<Campaign> {
  return withTenant({ workspaceId: who.workspaceId }, async (tx) => {
    const current = await requireCampaign(tx, who.workspaceId, who.id);
    const updated = await transitionCampaign(tx, who.workspaceId, who.id, from, {
      status: to,
      statusReason: null,
      ...(to === "canceled" ? { completedAt: new Date() } : {}),
    });
    if (!updated) {
      throw new AppError("CONFLICT", "campaign.transitionRefused", {
        params: { status: current.status, action: to },
      });
    }
    const details = await extra(tx, updated);
    await audit(tx, who, action, current, { status: to, ...details });
    await notifyCampaign(tx, who.id);
    return updated;
  });
}

/** Also takes back the agent tasks not leased yet; their recipients wait for the resume. */
export function pauseCampaign(who: Who & { id: string }) {
  return change(who, ["running"], "paused", "campaign.paused", async (tx, campaign) => ({
    recalledTasks: await recallAgentSends(tx, campaign, "pause"),
  }));
}

export async function resumeCampaign(who: Who & { id: string }) {
  const campaign = await change(who, ["paused"], "running", "campaign.resumed");
  // materialize is idempotent: it builds the recipients when the pause landed before it ran,
  // queues the batches still pending, or completes a campaign with nothing left to send.
  await enqueue(materializeCampaign, { workspaceId: who.workspaceId, campaignId: who.id });
  return campaign;
}

export async function cancelCampaign(who: Who & { id: string }) {
  const campaign = await change(
    who,
    ["scheduled", "running", "paused"],
    "canceled",
    "campaign.canceled",
    async (tx, updated) => {
      const queued = await cancelQueued(tx, who.workspaceId, who.id);
      const recalledTasks = await recallAgentSends(tx, updated, "cancel");
      return { canceledRecipients: queued + recalledTasks, recalledTasks };
    },
  );
  if (campaign.schedule.type === "cron")
    await (await getBoss()).unschedule(fireCampaignSchedule.name, who.id);
  return campaign;
}

/** The send path stopping a campaign on its own (failure spike, provider spam limit). */
export async function pauseForReason(
  tx: Tx,
  workspaceId: string,
  campaignId: string,
  reason: string,
) {
  const current = await requireCampaign(tx, workspaceId, campaignId);
  const updated = await transitionCampaign(tx, workspaceId, campaignId, ["running"], {
    status: "paused",
    statusReason: reason,
  });
  if (updated) {
    const recalledTasks = await recallAgentSends(tx, updated, "pause");
    await audit(
      tx,
      { workspaceId, actorUserId: null, meta: null },
      "campaign.auto_paused",
      current,
      { reason, recalledTasks },
    );
  }
}

export async function completeIfDone(tx: Tx, workspaceId: string, campaignId: string) {
  if (await hasPending(tx, workspaceId, campaignId)) return false;
  const current = await requireCampaign(tx, workspaceId, campaignId);
  const done = await transitionCampaign(tx, workspaceId, campaignId, ["running"], {
    status: "completed",
    completedAt: new Date(),
  });
  if (done)
    await audit(tx, { workspaceId, actorUserId: null, meta: null }, "campaign.completed", current, {
      status: "completed",
    });
  return !!done;
}

/** A bot came back (resumed): wake the batches its running campaigns still have. */
export async function wakeBot(workspaceId: string, botId: string) {
  await withTenant({ workspaceId }, async (tx) => {
    for (const { id } of await runningCampaignsOfBot(tx, workspaceId, botId)) {
      const batches = (await pendingBatches(tx, workspaceId, id)).filter((b) => b.botId === botId);
      await enqueueBatches(tx, workspaceId, id, batches);
    }
  });
}
