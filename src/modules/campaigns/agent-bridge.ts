/**
 * Campaigns on `agent` bots: the send job does not call a provider, it hands each claimed
 * recipient to the bot's agents as a `send_message` task in the claim's own transaction
 * (recipient `sending`, `claimed_by = 'agent'`); the agent pulls, sends and reports. When
 * the task ends — succeeded, failed for good, timed out or canceled — its recipient is
 * settled in the task's transaction exactly like a server-side send: status, event, ledger,
 * rollups; and the last one completes the campaign.
 */
import { sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import { createSendTasks } from "@/modules/tasks/tasks.service";
import { onTaskSettled, type SettledTask } from "@/modules/tasks/settle-hooks";
import type { Tx } from "@/server/db/tenant";
import { completeIfDone, notifyCampaign } from "./campaign-launch.service";
import { settleRecipients, type Outcome } from "./send.queries";
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
      return {
        ...base,
        status: "canceled",
        code: "task_canceled",
        providerMessageId: null,
        event: "canceled",
      };
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

let registered = false;

/** Called once per process at start (web and worker): tasks settle in both. */
export function registerAgentBridge(): void {
  if (registered) return;
  registered = true;
  onTaskSettled("send_message", async (tx, task) => {
    try {
      await settleFromTask(tx, task);
    } catch (err) {
      logger.error({ err: (err as Error).message, taskId: task.id }, "agent send not settled");
      throw err;
    }
  });
}
