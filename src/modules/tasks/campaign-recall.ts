/**
 * For campaigns pausing or cancelling: takes back the campaign's `send_message` tasks that no
 * agent has leased yet, in the caller's transaction (the one that changes the campaign's
 * status). Each becomes CANCELED with `reason` as its error and a `canceled` task event, and
 * gives up its idempotency key `send_message:<recipientId>`, so a resume hands the recipient
 * over again as a new task under the same key. Tasks already leased or running are left to
 * finish; a pull holding a task at this moment decides that task under the campaign's lock
 * (lease-guards.ts).
 *
 * The settle hooks do not run for these: the caller owns the recipients and settles them all
 * at once from what this returns (a per-task hook would be one round trip per recipient).
 */
import type { Tx } from "@/server/db/tenant";
import { recordRecall } from "./lease-guards";
import { recallPendingSendsOfCampaign } from "./recall.queries";

export type RecalledSend = {
  taskId: string;
  recipientId: string;
  /** Attempts the task had made (0: no agent ever had it). */
  attempts: number;
};

export async function recallCampaignTasks({
  tx,
  workspaceId,
  campaignId,
  botIds,
  reason,
}: {
  tx: Tx;
  workspaceId: string;
  campaignId: string;
  /** The campaign's bots (only agent bots have tasks; others cost an index probe). */
  botIds: string[];
  /** Stored as the tasks' error code, e.g. `campaign_paused`, `campaign_canceled`. */
  reason: string;
}): Promise<RecalledSend[]> {
  const recalled = await recallPendingSendsOfCampaign(
    tx,
    workspaceId,
    { campaignId, botIds },
    reason,
  );
  await recordRecall(tx, workspaceId, recalled, reason);
  return recalled.flatMap((t) =>
    typeof t.payload.recipientId === "string"
      ? [{ taskId: t.id, recipientId: t.payload.recipientId, attempts: t.attempts }]
      : [],
  );
}
