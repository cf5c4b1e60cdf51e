/**
 * The maintenance cron's sweep of claims a lost job left `sending` (runCampaignMaintenance):
 * after 15 minutes they become `unknown` — never re-sent — with their event and rollup; an
 * agent's claims are its tasks' to settle; fresher claims are left alone. Only campaigns that
 * can hold claims are read (running, paused, canceled in the last week): no index holds a
 * recipient's status.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCampaignMaintenance } from "@/modules/campaigns/maintenance";
import { campaignRecipients, campaigns } from "@/modules/campaigns/campaigns.table";
import { systemDb } from "@/server/db/client";
import {
  callerFor,
  campaignSuite,
  createSandboxBot,
  draftOf,
  eventsOf,
  recipientsOf,
  seedAudience,
  waitForCampaign,
} from "../helpers/campaigns";
import type { Tenant } from "../helpers/import";

/** A finished campaign of `n` recipients, then put back as a crash would leave it. */
async function sentCampaign(t: Tenant, name: string, from: number) {
  const bot = await createSandboxBot(t);
  const { groupId } = await seedAudience(t.workspaceId, 4, { from });
  const api = callerFor(t);
  const draft = await api.campaigns.create(draftOf(name, groupId, [bot.id]));
  await api.campaigns.launch({ id: draft.id });
  await waitForCampaign(t, draft.id, ["completed"]);
  return { id: draft.id, recipients: await recipientsOf(t.workspaceId, draft.id) };
}

async function leaveClaimed(
  t: Tenant,
  campaignId: string,
  ids: string[],
  { minutesAgo, claimedBy }: { minutesAgo: number; claimedBy: string },
) {
  await systemDb()
    .update(campaignRecipients)
    .set({
      status: "sending",
      claimedBy,
      updatedAt: sql`now() - make_interval(mins => ${minutesAgo}::int)`,
    })
    .where(
      and(
        eq(campaignRecipients.workspaceId, t.workspaceId),
        eq(campaignRecipients.campaignId, campaignId),
        inArray(campaignRecipients.id, ids),
      ),
    );
}

async function setCampaign(
  t: Tenant,
  id: string,
  status: "running" | "canceled",
  completedDaysAgo?: number,
) {
  await systemDb()
    .update(campaigns)
    .set({
      status,
      completedAt:
        completedDaysAgo === undefined
          ? null
          : sql`now() - make_interval(days => ${completedDaysAgo}::int)`,
    })
    .where(and(eq(campaigns.workspaceId, t.workspaceId), eq(campaigns.id, id)));
}

const statusesOf = async (t: Tenant, id: string) =>
  (await recipientsOf(t.workspaceId, id)).map((r) => r.status);

describe("stuck claims sweep", () => {
  let t: Tenant;

  campaignSuite((tenant) => (t = tenant));

  it("makes a running campaign's claims older than 15 minutes `unknown`; agents' and fresh ones stay", async () => {
    const c = await sentCampaign(t, "Caída", 9100);
    const [old, agent, fresh] = c.recipients.map((r) => r.id);
    await setCampaign(t, c.id, "running");
    await leaveClaimed(t, c.id, [old!], { minutesAgo: 20, claimedBy: "job-1:0" });
    await leaveClaimed(t, c.id, [agent!], { minutesAgo: 20, claimedBy: "agent" });
    await leaveClaimed(t, c.id, [fresh!], { minutesAgo: 5, claimedBy: "job-2:0" });

    await runCampaignMaintenance();

    expect(await statusesOf(t, c.id)).toEqual(["unknown", "sending", "sending", "sent"]);
    const swept = (await recipientsOf(t.workspaceId, c.id))[0]!;
    expect(swept.errorCode).toBe("interrupted");
    expect(swept.claimedBy).toBeNull();
    expect((await eventsOf(t.workspaceId, c.id)).unknown).toBe(1);
  });

  it("sweeps a campaign canceled this week, not one canceled longer ago or completed", async () => {
    const recent = await sentCampaign(t, "Cancelada hoy", 9200);
    const old = await sentCampaign(t, "Cancelada hace un mes", 9300);
    const done = await sentCampaign(t, "Terminada", 9400);
    await setCampaign(t, recent.id, "canceled", 1);
    await setCampaign(t, old.id, "canceled", 30);
    for (const c of [recent, old, done])
      await leaveClaimed(t, c.id, [c.recipients[0]!.id], { minutesAgo: 30, claimedBy: "job:0" });

    await runCampaignMaintenance();

    expect((await statusesOf(t, recent.id))[0]).toBe("unknown");
    expect((await statusesOf(t, old.id))[0]).toBe("sending");
    expect((await statusesOf(t, done.id))[0]).toBe("sending");
  });
});
