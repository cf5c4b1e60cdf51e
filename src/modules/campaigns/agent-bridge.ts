/**
 * Campaigns on `agent` bots: the send job does not call a provider, it hands each claimed
 * recipient to the bot's agents as a `send_message` task in the claim's own transaction
 * (recipient `sending`, `claimed_by = 'agent'`); the agent pulls, sends and reports. When
 * the task ends — succeeded, failed for good, timed out or canceled — its recipient is
 * settled in the task's transaction exactly like a server-side send: status, event, ledger,
 * rollups; and the last one completes the campaign.
 *
 * Stopping: pausing or cancelling the campaign recalls the tasks no agent has leased yet, in
 * the status change's transaction (`recallAgentSends`): on pause their recipients go back to
 * `queued` for the resume to hand over again; on cancel they end `canceled`. Leased tasks
 * finish and settle their recipient once. At pull time the guard below refuses any task whose
 * phone was opted out or whose campaign is no longer running (a retry or a requeued lease
 * after the pause, a claim that raced it), deciding under the campaign's row lock.
 */
import { sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import { recallCampaignTasks } from "@/modules/tasks/campaign-recall";
import { onBeforeLease, type LeaseCandidate } from "@/modules/tasks/lease-guards";
import { createSendTasks } from "@/modules/tasks/tasks.service";
import { onTaskSettled, type SettledTask } from "@/modules/tasks/settle-hooks";
import type { Tx } from "@/server/db/tenant";
import { completeIfDone, notifyCampaign } from "./campaign-launch.service";
import type { Campaign } from "./campaigns.table";
import { settleRecipients, type Outcome } from "./send.queries";
import { findSuppressions } from "./suppressions.queries";
import { announceProgress } from "./progress-notify";

/** `claimed_by` of a recipient whose send belongs to an agent task (not to a send job). */
export const AGENT_CLAIM = "agent";

type Handover = {
  workspaceId: string;
  campaignId: string;
  botId: string;
  sends: ({ recipientId: string; to: string } & (
    { text: string } | { template: { name: string; language: string; params: string[] } }
  ))[];
};

/** Creates the tasks and marks their recipients as the agents' (same transaction). */
export async function handOverToAgents(tx: Tx, h: Handover): Promise<number> {
  if (h.sends.length === 0) return 0;
  await createSendTasks({
    tx,
    workspaceId: h.workspaceId,
    sends: h.sends.map((s) => ({ ...s, botId: h.botId, campaignId: h.campaignId })),
  });
  await tx.execute(sql`update campaign_recipient set claimed_by = ${AGENT_CLAIM}
    where workspace_id = ${h.workspaceId} and campaign_id = ${h.campaignId}
      and id = any(${sql.param(h.sends.map((s) => s.recipientId))}::uuid[]) and status = 'sending'`);
  return h.sends.length;
}

/** Why a task was taken back (its error code); the recipient's code on cancel too. */
const RECALL = {
  paused: "campaign_paused",
  canceled: "campaign_canceled",
  ended: "campaign_ended",
  optedOut: "opted_out",
} as const;

/** A cancelled task's recipient: back in the queue after a pause, else cancelled for good. */
function outcomeOfCancel(recipientId: string, error: string | null, attempts: number): Outcome {
  const base = { id: recipientId, nextAttemptAt: null, providerMessageId: null };
  if (error === RECALL.paused) {
    // The claim's attempt is given back when no agent ever had the task.
    return { ...base, status: "queued", code: null, event: "released", refundAttempt: !attempts };
  }
  const code = error === RECALL.canceled || error === RECALL.optedOut ? error : "task_canceled";
  return { ...base, status: "canceled", code, event: "canceled" };
}

function outcomeOfTask(recipientId: string, task: SettledTask): Outcome {
  const providerId = task.result?.providerMessageId;
  const base = { id: recipientId, nextAttemptAt: null };
  switch (task.status) {
    case "SUCCEEDED":
      return {
        ...base,
        status: "sent",
        code: null,
        providerMessageId: typeof providerId === "string" ? providerId.slice(0, 256) : null,
        event: "sent",
      };
    case "CANCELED":
      return outcomeOfCancel(recipientId, task.error, task.attempts);
    default:
      return {
        ...base,
        status: "failed",
        code: (task.error ?? (task.status === "TIMED_OUT" ? "timeout" : "agent_failed")).slice(
          0,
          64,
        ),
        providerMessageId: null,
        event: "failed",
      };
  }
}

async function settleFromTask(tx: Tx, task: SettledTask) {
  const recipientId = task.payload.recipientId;
  const campaignId = task.payload.campaignId;
  if (typeof recipientId !== "string" || typeof campaignId !== "string") return;
  const { settled } = await settleRecipients(tx, {
    workspaceId: task.workspaceId,
    campaignId,
    outcomes: [outcomeOfTask(recipientId, task)],
  });
  if (settled === 0) return;
  // Serialises the completion check among concurrent task settlements of this campaign:
  // whoever locks second sees the other's settled recipient (read committed).
  await tx.execute(sql`select 1 from campaign
    where workspace_id = ${task.workspaceId} and id = ${campaignId} for update`);
  if (await completeIfDone(tx, task.workspaceId, campaignId)) await notifyCampaign(tx, campaignId);
  else announceProgress([campaignId]);
}

/**
 * A pause or cancel in `campaign`'s status-change transaction: its tasks no agent has leased
 * are recalled and their recipients settled in one statement — back to `queued` (pause) or
 * `canceled` with `campaign_canceled` (cancel). Returns how many were recalled.
 */
export async function recallAgentSends(
  tx: Tx,
  campaign: Pick<Campaign, "workspaceId" | "id" | "botIds">,
  why: "pause" | "cancel",
): Promise<number> {
  const reason = why === "pause" ? RECALL.paused : RECALL.canceled;
  const recalled = await recallCampaignTasks({
    tx,
    workspaceId: campaign.workspaceId,
    campaignId: campaign.id,
    botIds: campaign.botIds,
    reason,
  });
  await settleRecipients(tx, {
    workspaceId: campaign.workspaceId,
    campaignId: campaign.id,
    outcomes: recalled.map((t) => outcomeOfCancel(t.recipientId, reason, t.attempts)),
  });
  return recalled.length;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The pull-time check of `send_message` tasks: a suppressed phone is refused for good; a
 * campaign paused, cancelled or over refuses its tasks. The campaigns' rows are locked (id
 * order) until the pull commits, so a pause, resume or cancel lands wholly before or after it.
 * A task whose campaign does not exist (made by hand) is only checked for the opt-out.
 */
async function guardSends(
  tx: Tx,
  workspaceId: string,
  tasks: LeaseCandidate[],
): Promise<Map<string, string>> {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const campaignIds = [
    ...new Set(tasks.map((t) => str(t.payload.campaignId)).filter((id) => id && UUID.test(id))),
  ].sort() as string[];
  const { rows } = campaignIds.length
    ? await tx.execute<{ id: string; status: string }>(sql`
        select id, status::text from campaign
         where workspace_id = ${workspaceId} and id = any(${sql.param(campaignIds)}::uuid[])
         order by id for update`)
    : { rows: [] };
  const statusOf = new Map(rows.map((r) => [r.id, r.status]));
  const phones = [...new Set(tasks.map((t) => str(t.payload.to)).filter((p) => p !== null))];
  const suppressed = new Set((await findSuppressions(tx, workspaceId, phones)).map((s) => s.phone));
  const refused = new Map<string, string>();
  for (const t of tasks) {
    const to = str(t.payload.to);
    const status = statusOf.get(str(t.payload.campaignId) ?? "");
    if (to && suppressed.has(to)) refused.set(t.id, RECALL.optedOut);
    else if (status === "paused") refused.set(t.id, RECALL.paused);
    else if (status === "canceled") refused.set(t.id, RECALL.canceled);
    else if (status && status !== "running") refused.set(t.id, RECALL.ended);
  }
  return refused;
}

let registered = false;

/** Called once per process at start (web and worker): tasks settle in both. */
export function registerAgentBridge(): void {
  if (registered) return;
  registered = true;
  onBeforeLease("send_message", guardSends);
  onTaskSettled("send_message", async (tx, task) => {
    try {
      await settleFromTask(tx, task);
    } catch (err) {
      logger.error({ err: (err as Error).message, taskId: task.id }, "agent send not settled");
      throw err;
    }
  });
}
