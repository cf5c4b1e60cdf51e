/**
 * The demo's finished campaign: built by the real materialize statement, its counters
 * (rollups), timeline and ledger agree with its recipients, and it sits outside the cool-off.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { planFor, requireCampaign } from "@/modules/campaigns/campaigns.service";
import { seedDemoCampaign } from "@/modules/campaigns/demo-campaign";
import { insertRecipients } from "@/modules/campaigns/materialize.queries";
import { closeDatabase, systemDb } from "@/server/db/client";
import {
  callerFor,
  createSandboxBot,
  phones,
  seedContacts,
  statusCounts,
} from "../helpers/campaigns";
import { freshTenant } from "../helpers/import";

describe("demo campaign seed", () => {
  afterAll(() => closeDatabase());

  it("leaves a completed campaign whose counts match its recipients", async () => {
    const t = await freshTenant();
    const ps = phones(20, 500);
    const groups = await seedContacts(
      t.workspaceId,
      ps.map((phone, i) => ({
        phone,
        nombre: `N${i}`,
        sustantivo: "Sr.",
        groups: ["VIP"],
        optedOut: i === 3,
      })),
    );
    const bot = await createSandboxBot(t);
    const id = await systemDb().transaction((tx) =>
      seedDemoCampaign(tx, {
        workspaceId: t.workspaceId,
        botId: bot.id,
        groupId: groups.get("VIP")!,
        cooloffDays: 7,
      }),
    );
    const view = await callerFor(t).campaigns.get({ id });
    const byStatus = await statusCounts(t.workspaceId, id);
    expect(view.status).toBe("completed");
    expect(view.counts).toMatchObject({
      total: 20,
      pending: 0,
      skipped: 1,
      failed: byStatus.failed,
      sent: (byStatus.sent ?? 0) + (byStatus.delivered ?? 0) + (byStatus.read ?? 0),
      delivered: (byStatus.delivered ?? 0) + (byStatus.read ?? 0),
      read: byStatus.read,
    });
    expect(view.counts.sent).toBeGreaterThan(view.counts.delivered);
    expect(view.counts.delivered).toBeGreaterThan(view.counts.read);
    const { rows } = await systemDb().execute<{ n: number; recent: number }>(
      sql`select count(*)::int as n, count(*) filter (where last_sent_at > now() - interval '7 days')::int as recent
            from send_ledger where workspace_id = ${t.workspaceId}`,
    );
    expect(rows[0]).toEqual({ n: view.counts.sent, recent: 0 });

    // Building the same campaign's recipients again inserts nothing (no rows, events or counts).
    const again = await systemDb().transaction(async (tx) => {
      const campaign = await requireCampaign(tx, t.workspaceId, id);
      return insertRecipients(tx, planFor({ id: t.workspaceId, cooloffDays: 7 }, campaign, id));
    });
    expect(again).toEqual({ total: 0, queued: 0, batches: [] });
    expect(await statusCounts(t.workspaceId, id)).toEqual(byStatus);
    expect((await callerFor(t).campaigns.get({ id })).counts).toEqual(view.counts);
  });
});
