/**
 * The send pipeline end to end on real Postgres and pg-boss: exact audience with skips by
 * reason, template rotation, every recipient sent once with its event, ledger row and
 * rollup; cool-off across two campaigns; suppression at claim time.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { systemDb } from "@/server/db/client";
import {
  callerFor,
  campaignSuite,
  createSandboxBot,
  eventsOf,
  phones,
  recipientsOf,
  seedContacts,
  statusCounts,
  waitForCampaign,
} from "../helpers/campaigns";
import type { Tenant } from "../helpers/import";

describe("campaign send pipeline", () => {
  let t: Tenant;

  campaignSuite((tenant) => (t = tenant));

  it("sends to the exact audience, skips with reasons, rotates templates, records everything", async () => {
    const [p1, p2, p3, p4, p5, p6, p7] = phones(7);
    const groups = await seedContacts(t.workspaceId, [
      { phone: p1!, nombre: null, groups: ["VIP"] }, // no name: unresolved in template 0
      { phone: p2!, nombre: "Beto", groups: ["VIP", "Clientes"] },
      { phone: p3!, nombre: "Caro", groups: ["VIP"], optedOut: true },
      { phone: p4!, nombre: null, groups: ["VIP"] }, // no name, but template 1 has a fallback
      { phone: p5!, nombre: "Eva", groups: ["VIP", "Excluidos"] },
      { phone: p6!, nombre: "Fede", groups: ["Clientes"] }, // not in the audience
      { phone: p7!, nombre: "Gabi", groups: ["VIP"] }, // contacted yesterday: cool-off
    ]);
    await systemDb().execute(
      sql`insert into send_ledger (workspace_id, phone, last_sent_at) values (${t.workspaceId}, ${p7!}, now() - interval '1 day')`,
    );
    const bot = await createSandboxBot(t);
    const api = callerFor(t);
    const definition = {
      audience: {
        groupIds: [groups.get("VIP")!],
        excludeGroupIds: [groups.get("Excluidos")!],
        sources: [],
      },
      templates: [
        { kind: "text" as const, body: "Hola {{nombre}}" },
        { kind: "text" as const, body: "Buenas {{nombre|cliente}}" },
      ],
      botIds: [bot.id],
      cooloffDays: null,
      cooloffReason: null,
    };

    const preview = await api.campaigns.preview(definition);
    expect(preview).toMatchObject({
      audience: 5,
      willSend: 2,
      skipped: { opted_out: 1, cooloff: 1, unresolved_variable: 1 },
    });

    const campaign = await api.campaigns.create({ name: "Diciembre", ...definition });
    await api.campaigns.launch({ id: campaign.id });
    const done = await waitForCampaign(t, campaign.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 5, pending: 0, sent: 2, skipped: 3, failed: 0 });

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    const byPhone = new Map(rows.map((r) => [r.phone, r]));
    expect(rows.map((r) => r.phone).sort()).toEqual([p1, p2, p3, p4, p7].sort());
    expect(byPhone.get(p3!)).toMatchObject({ status: "skipped", errorCode: "opted_out" });
    expect(byPhone.get(p7!)).toMatchObject({ status: "skipped", errorCode: "cooloff" });
    expect(byPhone.get(p1!)).toMatchObject({
      status: "skipped",
      errorCode: "unresolved_variable",
      templateIndex: 0,
    });
    for (const p of [p2!, p4!]) {
      expect(byPhone.get(p)).toMatchObject({
        status: "sent",
        attempts: 1,
        providerMessageId: `sbx_${byPhone.get(p)!.id}`,
      });
    }
    // Round robin over the audience in phone order: 0, 1, 0, 1, 0.
    expect(rows.map((r) => r.templateIndex)).toEqual([0, 1, 0, 1, 0]);
    expect(byPhone.get(p2!)!.groupName).toBe("VIP");

    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ sent: 2, skipped: 3 });
    const ledger = await systemDb().execute<{ phone: string; campaign_id: string }>(
      sql`select phone, campaign_id from send_ledger where workspace_id = ${t.workspaceId} and campaign_id = ${campaign.id}`,
    );
    expect(ledger.rows.map((r) => r.phone).sort()).toEqual([p2, p4].sort());
  });

  it("never recontacts inside the cool-off across two campaigns, unless overridden with a reason", async () => {
    const ps = phones(3, 100);
    const groups = await seedContacts(
      t.workspaceId,
      ps.map((phone, i) => ({ phone, nombre: `N${i}`, groups: ["Cooloff"] })),
    );
    const bot = await createSandboxBot(t);
    const api = callerFor(t);
    const def = {
      audience: { groupIds: [groups.get("Cooloff")!], excludeGroupIds: [], sources: [] },
      templates: [{ kind: "text" as const, body: "Hola" }],
      botIds: [bot.id],
    };
    const first = await api.campaigns.create({ name: "Primera", ...def });
    await api.campaigns.launch({ id: first.id });
    await waitForCampaign(t, first.id, ["completed"]);

    const second = await api.campaigns.create({ name: "Segunda", ...def });
    await api.campaigns.launch({ id: second.id });
    const done = await waitForCampaign(t, second.id, ["completed"]);
    expect(done.counts).toMatchObject({ sent: 0, skipped: 3 });
    expect(await statusCounts(t.workspaceId, second.id)).toEqual({ skipped: 3 });

    await expect(
      api.campaigns.create({ name: "Sin motivo", ...def, cooloffDays: 0 }),
    ).rejects.toThrow();
    const third = await api.campaigns.create({
      name: "Tercera",
      ...def,
      cooloffDays: 0,
      cooloffReason: "Aviso urgente de corte de servicio",
    });
    await api.campaigns.launch({ id: third.id });
    expect((await waitForCampaign(t, third.id, ["completed"])).counts).toMatchObject({ sent: 3 });
  });

  it("re-checks suppression at claim time: an opt-out after launch is never sent", async () => {
    const ps = phones(2, 200);
    const groups = await seedContacts(
      t.workspaceId,
      ps.map((phone) => ({ phone, nombre: "X", groups: ["Late"] })),
    );
    // Paced at 1/s so the second recipient is still queued when the opt-out lands.
    const bot = await createSandboxBot(t, { ratePerSecond: 1 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create({
      name: "Tardía",
      audience: { groupIds: [groups.get("Late")!], excludeGroupIds: [], sources: [] },
      templates: [{ kind: "text", body: "Hola" }],
      botIds: [bot.id],
    });
    await systemDb().execute(
      sql`insert into suppression (workspace_id, phone, source, reason) values (${t.workspaceId}, ${ps[1]!}, 'manual', 'test')`,
    );
    await api.campaigns.launch({ id: campaign.id });
    await waitForCampaign(t, campaign.id, ["completed"]);
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    expect(rows.find((r) => r.phone === ps[1])).toMatchObject({
      status: "skipped",
      errorCode: "opted_out",
    });
    expect(rows.find((r) => r.phone === ps[0])).toMatchObject({ status: "sent" });
  });
});
