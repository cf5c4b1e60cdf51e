/**
 * Reference (c) of the dispatch benchmark: the pipeline's own statements with nothing around
 * them. The real materialize statement builds a campaign's recipients, then each batch of 500
 * is claimed (`queued → sending`, ledger reserved, committed) and settled as sent with its
 * event and rollup (committed) by the real `claimRecipients` / `settleRecipients`, over the
 * same number of connections as the SQL floor: no pg-boss, no provider call, no rendering, no
 * pacing, no progress notifications. It is the fastest the design the issue asks for (claim
 * committed before the provider call, recipients built at launch) can write these rows here,
 * so its ratio to the SQL floor bounds what any engine of that design can reach.
 */
import { ms } from "./campaign-fixture";

export async function designFloor(
  scope: { workspaceId: string; campaignId: string },
  connections: number,
) {
  const { sql } = await import("drizzle-orm");
  const { withTenant } = await import("../src/server/db/tenant");
  const { systemDb } = await import("../src/server/db/client");
  const { getWorkspace } = await import("../src/modules/workspaces/workspaces.service");
  const { planFor, requireCampaign } = await import("../src/modules/campaigns/campaigns.service");
  const { insertRecipients } = await import("../src/modules/campaigns/materialize.queries");
  const { claimRecipients, settleRecipients } =
    await import("../src/modules/campaigns/send.queries");
  const { workspaceId, campaignId } = scope;

  const t = performance.now();
  const built = await withTenant({ workspaceId }, async (tx) => {
    const workspace = await getWorkspace({ tx, workspaceId });
    const campaign = await requireCampaign(tx, workspaceId, campaignId);
    return insertRecipients(tx, planFor(workspace, campaign, campaignId));
  });
  // As the launch does: statistics for the claims' plans.
  await systemDb().execute(sql`analyze campaign_recipient`);
  const materializedMs = ms(t);

  let next = 0;
  let sent = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < built.batches.length) {
        const { batch } = built.batches[next++]!;
        const { recipients } = await withTenant({ workspaceId }, (tx) =>
          claimRecipients(tx, {
            workspaceId,
            campaignId,
            batch,
            limit: 500,
            cooloffDays: 7,
            claimedBy: `design-floor:${batch}:0`,
          }),
        );
        const settled = await withTenant({ workspaceId }, (tx) =>
          settleRecipients(tx, {
            workspaceId,
            campaignId,
            outcomes: recipients.map((r) => ({
              id: r.id,
              status: "sent" as const,
              code: null,
              providerMessageId: `sbx_${r.id}`,
              nextAttemptAt: null,
              event: "sent",
            })),
          }),
        );
        sent += settled.sent;
      }
    }),
  );
  const totalMs = ms(t);
  if (sent !== built.queued) throw new Error(`design floor sent ${sent} of ${built.queued}`);
  return { ms: totalMs, materializedMs, sent };
}
