/**
 * Steering a campaign while the real pipeline sends it (pg-boss workers in this process, real
 * Postgres, a fake signed-webhook receiver standing in for the provider): pause stops sends
 * within a second and resume sends everyone exactly once; cancel settles the rest as
 * canceled; a failure spike pauses on its own; a recurring campaign's firings create runs;
 * unresolved variables are skipped; an opt-out outlives the contact.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleInboundMessages } from "@/modules/campaigns/status-updates.service";
import { fireRecurringCampaign } from "@/modules/campaigns/campaign-launch.service";
import { settleRecipients } from "@/modules/campaigns/send.queries";
import { systemDb } from "@/server/db/client";
import { getBoss } from "@/server/queue/boss";
import { withTenant } from "@/server/db/tenant";
import { fireCampaignSchedule } from "@jobs/campaigns/fire-schedule.job";
import {
  callerFor,
  createSandboxBot,
  createWebhookBot,
  draftOf,
  eventsOf,
  phones,
  recipientsOf,
  seedAudience,
  seedContacts,
  campaignSuite,
  statusCounts,
  waitForCampaign,
  waitUntil,
  webhookSecret,
} from "../helpers/campaigns";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/fake-providers";
import type { Tenant } from "../helpers/import";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Messages the receiver took for this campaign (its payload names the campaign). */
function acceptedFor(receiver: WebhookReceiver, campaignId: string): number {
  return receiver.received.filter(
    (r) =>
      r.accepted && (r.body as { data?: { campaignId?: string } }).data?.campaignId === campaignId,
  ).length;
}

describe("campaign control", () => {
  let t: Tenant;
  let receiver: WebhookReceiver;
  let secret: string;

  campaignSuite((tenant) => (t = tenant));
  beforeAll(async () => {
    secret = webhookSecret();
    receiver = await startWebhookReceiver({ secrets: [secret] });
  });
  afterAll(() => receiver.close());

  it("pause stops sends within a second; resume sends everyone else exactly once", async () => {
    const bot = await createWebhookBot(t, receiver.url, secret, { ratePerSecond: 5 });
    const audience = await seedAudience(t.workspaceId, 12);
    const { groupId } = audience;
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Pausa", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });

    await waitUntil("a few sends", async () => acceptedFor(receiver, campaign.id) >= 3);
    const atPause = acceptedFor(receiver, campaign.id);
    const paused = await api.campaigns.pause({ id: campaign.id });
    expect(paused.status).toBe("paused");

    await sleep(1_000);
    const afterOneSecond = acceptedFor(receiver, campaign.id);
    // At 5/s, a send already past its status check may still land; nothing after that.
    expect(afterOneSecond - atPause).toBeLessThanOrEqual(2);
    await sleep(1_500);
    expect(acceptedFor(receiver, campaign.id)).toBe(afterOneSecond);
    const held = await statusCounts(t.workspaceId, campaign.id);
    expect(held.sending ?? 0).toBe(0);
    expect(held.queued).toBe(12 - afterOneSecond);
    expect((await api.campaigns.get({ id: campaign.id })).counts).toMatchObject({
      sent: afterOneSecond,
      pending: 12 - afterOneSecond,
    });

    await api.campaigns.resume({ id: campaign.id });
    const done = await waitForCampaign(t, campaign.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 12, sent: 12, pending: 0, failed: 0 });

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(acceptedFor(receiver, campaign.id)).toBe(12);
    const ids = rows.map((r) => r.id);
    expect(ids.filter((id) => receiver.count(id) !== 1)).toEqual([]);
    expect(new Set(rows.map((r) => r.phone))).toEqual(new Set(audience.phones));
  });

  it("a pause returns claimed-but-unsent recipients without spending one of their attempts", async () => {
    const bot = await createWebhookBot(t, receiver.url, secret, { ratePerSecond: 4 });
    const { groupId } = await seedAudience(t.workspaceId, 8, { from: 100 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Intentos", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });
    await waitUntil("a first send", async () => acceptedFor(receiver, campaign.id) >= 1);
    await api.campaigns.pause({ id: campaign.id });
    await sleep(1_000);
    await api.campaigns.resume({ id: campaign.id });
    await waitForCampaign(t, campaign.id, ["completed"]);
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    // Each was sent once, on its first try: a pause is not a failed attempt (MAX_ATTEMPTS
    // counts provider tries, and the UI shows this number).
    expect(rows.filter((r) => r.attempts !== 1).map((r) => [r.status, r.attempts])).toEqual([]);
  });

  it("cancel settles every recipient not yet sent as canceled, with matching counters", async () => {
    const bot = await createSandboxBot(t, { ratePerSecond: 5 });
    const { groupId } = await seedAudience(t.workspaceId, 15, { from: 200 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Cancelada", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });
    await waitUntil(
      "two sends",
      async () => ((await statusCounts(t.workspaceId, campaign.id)).sent ?? 0) >= 2,
    );

    const canceled = await api.campaigns.cancel({ id: campaign.id });
    expect(canceled.status).toBe("canceled");
    expect(canceled.completedAt).not.toBeNull();
    const rows = await waitUntil("the in-flight send to settle", async () => {
      const now = await recipientsOf(t.workspaceId, campaign.id);
      return now.every((r) => r.status !== "sending") && now;
    });
    const sent = rows.filter((r) => r.status === "sent").length;
    expect(rows.length).toBe(15);
    expect(rows.filter((r) => r.status !== "sent").every((r) => r.status === "canceled")).toBe(
      true,
    );
    expect(sent).toBeLessThan(15);

    await sleep(800);
    expect((await statusCounts(t.workspaceId, campaign.id)).sent ?? 0).toBe(sent);
    const view = await api.campaigns.get({ id: campaign.id });
    expect(view.status).toBe("canceled");
    expect(view.counts).toMatchObject({ total: 15, sent, canceled: 15 - sent, pending: 0 });
    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ sent, canceled: 15 - sent });
    await expect(api.campaigns.resume({ id: campaign.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("a send given back (queued) after the cancel settles as canceled, not queued", async () => {
    // One a minute: after the first send the rest wait queued for their slots.
    const bot = await createSandboxBot(t, { ratePerMinute: 1 });
    const { groupId } = await seedAudience(t.workspaceId, 4, { from: 400 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Devuelta", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });
    // The last one: the job claims in phone order, one a round, a minute apart.
    const inFlight = await waitUntil("the recipients built", async () => {
      const now = await recipientsOf(t.workspaceId, campaign.id);
      return now.length === 4 && now.filter((r) => r.status === "queued").at(-1);
    });
    // As if a job had claimed it and was waiting on the bot's pacing when the cancel came.
    await systemDb().execute(
      sql`update campaign_recipient set status = 'sending', claimed_by = 'test:0', attempts = attempts + 1
           where campaign_id = ${campaign.id} and id = ${inFlight.id}`,
    );
    await api.campaigns.cancel({ id: campaign.id });
    await withTenant({ workspaceId: t.workspaceId }, (tx) =>
      settleRecipients(tx, {
        workspaceId: t.workspaceId,
        campaignId: campaign.id,
        outcomes: [
          {
            id: inFlight.id,
            status: "queued",
            code: null,
            providerMessageId: null,
            nextAttemptAt: null,
            event: "released",
            refundAttempt: true,
          },
        ],
      }),
    );
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    expect(rows.find((r) => r.id === inFlight.id)).toMatchObject({
      status: "canceled",
      errorCode: "campaign_canceled",
    });
    // Nothing is left queued; a recipient the job itself claimed may still wait for its slot.
    expect(rows.filter((r) => r.status === "queued")).toEqual([]);
    const canceled = rows.filter((r) => r.status === "canceled").length;
    expect(canceled).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ canceled });
  });

  it("a failure spike (failure rate 1, window 10, threshold 20%) pauses the campaign with reason failure_spike", async () => {
    const { campaign, held } = await spikedCampaign(t, "Pico", 300);
    expect(held.failed).toBeGreaterThanOrEqual(10);
    expect(held.queued).toBeGreaterThan(0);
    expect(held.sent ?? 0).toBe(0);
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    expect(new Set(rows.filter((r) => r.status === "failed").map((r) => r.errorCode))).toEqual(
      new Set(["sandbox_failed"]),
    );
    // It stays paused: nothing more is attempted.
    await sleep(1_000);
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual(held);
    expect((await callerFor(t).campaigns.get({ id: campaign.id })).status).toBe("paused");
  });

  it("resumed right after a failure-spike pause, the campaign sends the rest (the resume is not lost to a cached `paused`)", async () => {
    const { campaign, bot, held } = await spikedCampaign(t, "Pico reanudado", 350);
    const api = callerFor(t);
    const view = await api.bots.get({ id: bot.id });
    await api.bots.update({ ...view, config: { ...view.config, failureRate: 0 } } as never);
    const resumed = await api.campaigns.resume({ id: campaign.id });
    expect(resumed).toMatchObject({ status: "running", statusReason: null });
    const done = await waitForCampaign(t, campaign.id, ["completed"], 8_000);
    expect(done.counts).toMatchObject({
      total: 40,
      failed: held.failed,
      sent: 40 - held.failed!,
      pending: 0,
    });
  });

  it("completes a campaign whose every recipient was already settled when it paused (failure spike on the last round)", async () => {
    // Unpaced: all 10 go in one round and fail; the spike pauses the campaign with nothing
    // left to send. Resuming must finish it, not leave it `running` with no job.
    const bot = await createSandboxBot(
      t,
      {},
      {
        latencyMs: 0,
        failureRate: 1,
        deliveredAfterMs: null,
        readAfterMs: null,
      },
    );
    const { groupId } = await seedAudience(t.workspaceId, 10, { from: 400 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create({
      ...draftOf("Pico final", groupId, [bot.id]),
      failureRate: 20,
      failureWindow: 10,
    });
    await api.campaigns.launch({ id: campaign.id });
    const paused = await waitForCampaign(t, campaign.id, ["paused", "completed"]);
    expect(paused).toMatchObject({ status: "paused", statusReason: "failure_spike" });
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ failed: 10 });

    await api.campaigns.resume({ id: campaign.id });
    const done = await waitForCampaign(t, campaign.id, ["completed"], 5_000);
    expect(done.counts).toMatchObject({ total: 10, failed: 10, pending: 0 });
  });

  it("builds the recipients of a campaign paused before they were materialized", async () => {
    // Launch commits `running` and queues campaign.materialize; a pause landing before the job
    // runs leaves a paused campaign without recipients (the job then finds it not running and
    // does nothing). That state, set directly so the test does not depend on the race:
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 3, { from: 500 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Pausa temprana", groupId, [bot.id]));
    await systemDb().execute(
      sql`update campaign set status = 'paused', launched_at = now() where workspace_id = ${t.workspaceId} and id = ${campaign.id}`,
    );
    expect(await recipientsOf(t.workspaceId, campaign.id)).toEqual([]);

    await api.campaigns.resume({ id: campaign.id });
    const done = await waitForCampaign(t, campaign.id, ["completed"], 8_000);
    expect(done.counts).toMatchObject({ total: 3, sent: 3 });
  });

  it("a recurring campaign registers its cron schedule; each firing creates and sends a numbered run", async () => {
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 3, { from: 600 });
    const api = callerFor(t);
    const parent = await api.campaigns.create({
      ...draftOf("Semanal", groupId, [bot.id]),
      schedule: { type: "cron", cron: "0 9 * * 1" },
    });
    const launched = await api.campaigns.launch({ id: parent.id });
    expect(launched.status).toBe("scheduled");
    const boss = await getBoss();
    const [schedule] = await boss.getSchedules(fireCampaignSchedule.name, parent.id);
    expect(schedule).toMatchObject({
      name: fireCampaignSchedule.name,
      key: parent.id,
      cron: "0 9 * * 1",
      timezone: t.workspace.timeZone,
      data: { workspaceId: t.workspaceId, campaignId: parent.id },
    });

    // Two Mondays: each firing claims its own slot (a repeat of one slot makes no run).
    const first = await fireRecurringCampaign({
      workspaceId: t.workspaceId,
      campaignId: parent.id,
      firingId: "f1",
      at: new Date("2026-03-02T12:00:05Z"),
    });
    const second = await fireRecurringCampaign({
      workspaceId: t.workspaceId,
      campaignId: parent.id,
      firingId: "f2",
      at: new Date("2026-03-09T12:00:05Z"),
    });
    expect(first.created).toBeTruthy();
    expect(second.created).toBeTruthy();
    const run1 = await waitForCampaign(t, first.created!, ["completed"]);
    const run2 = await waitForCampaign(t, second.created!, ["completed"]);
    expect(run1).toMatchObject({ name: "Semanal #1", parentId: parent.id, botIds: [bot.id] });
    expect(run2).toMatchObject({ name: "Semanal #2", parentId: parent.id });
    // Both materialized; the second inside the first's cool-off, so skipped rather than resent.
    expect(run1.counts).toMatchObject({ total: 3, sent: 3 });
    expect(await statusCounts(t.workspaceId, run2.id)).toEqual({ skipped: 3 });
    expect((await recipientsOf(t.workspaceId, run2.id)).map((r) => r.errorCode)).toEqual([
      "cooloff",
      "cooloff",
      "cooloff",
    ]);
    expect((await api.campaigns.get({ id: parent.id })).status).toBe("scheduled");
    // The recurring campaign's page lists exactly its runs, newest first.
    const runs = await api.campaigns.list({ parentId: parent.id, page: 1, pageSize: 10 });
    expect(runs.total).toBe(2);
    expect(runs.rows.map((r) => r.name)).toEqual(["Semanal #2", "Semanal #1"]);

    // Canceling the definition removes its schedule; a late firing creates nothing.
    await api.campaigns.cancel({ id: parent.id });
    expect(await boss.getSchedules(fireCampaignSchedule.name, parent.id)).toEqual([]);
    const late = await fireRecurringCampaign({
      workspaceId: t.workspaceId,
      campaignId: parent.id,
      firingId: "f3",
    });
    expect(late.created).toBeNull();
  });

  it("renders variables per contact and skips contacts missing a variable without fallback", async () => {
    const bot = await createWebhookBot(t, receiver.url, secret);
    const [pOk, pCase, pBlank, pNone, pNoName] = phones(5, 700) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const groups = await seedContacts(t.workspaceId, [
      { phone: pOk, nombre: "Ana", attributes: { ciudad: "Luque" }, groups: ["Vars"] },
      { phone: pCase, nombre: "Beto", attributes: { Ciudad: "Areguá" }, groups: ["Vars"] },
      { phone: pBlank, nombre: "Caro", attributes: { ciudad: "   " }, groups: ["Vars"] },
      { phone: pNone, nombre: "Dani", groups: ["Vars"] },
      { phone: pNoName, nombre: null, attributes: { ciudad: "Itá" }, groups: ["Vars"] },
    ]);
    const api = callerFor(t);
    const campaign = await api.campaigns.create(
      draftOf(
        "Variables",
        groups.get("Vars")!,
        [bot.id],
        "Hola {{nombre|vecino}}, te esperamos en {{ciudad}}",
      ),
    );
    await api.campaigns.launch({ id: campaign.id });
    const done = await waitForCampaign(t, campaign.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 5, sent: 3, skipped: 2, failed: 0 });

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    const byPhone = new Map(rows.map((r) => [r.phone, r]));
    for (const p of [pBlank, pNone]) {
      expect(byPhone.get(p)).toMatchObject({ status: "skipped", errorCode: "unresolved_variable" });
    }
    const texts = new Map(
      receiver
        .payloads()
        .filter((p) => p.data.campaignId === campaign.id)
        .map((p) => [p.data.to, p.data.text]),
    );
    expect(texts).toEqual(
      new Map([
        [pOk, "Hola Ana, te esperamos en Luque"],
        [pCase, "Hola Beto, te esperamos en Areguá"],
        [pNoName, "Hola vecino, te esperamos en Itá"],
      ]),
    );
  });

  it("an opt-out by reply outlives the contact: re-created, it stays suppressed and is skipped", async () => {
    const api = callerFor(t);
    const phone = phones(1, 800)[0]!;
    const group = `Baja-${randomUUID().slice(0, 6)}`;
    const created = await api.contacts.create({ phone, nombre: "Eli", groups: [group] });
    await handleInboundMessages({
      workspaceId: t.workspaceId,
      messages: [{ from: phone, text: "BAJA" }],
    });
    expect(await suppressionOf(t.workspaceId, phone)).toMatchObject({ source: "inbound" });

    await api.contacts.delete({ id: created.id });
    const again = await api.contacts.create({ phone, nombre: "Eli", groups: [group] });
    expect(await suppressionOf(t.workspaceId, phone)).toMatchObject({ source: "inbound" });

    const bot = await createSandboxBot(t);
    const groupId = again.groups[0]!.id;
    const campaign = await api.campaigns.create(draftOf("Tras la baja", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });
    await waitForCampaign(t, campaign.id, ["completed"]);
    const [row] = await recipientsOf(t.workspaceId, campaign.id);
    expect(row).toMatchObject({ phone, status: "skipped", errorCode: "opted_out" });
    // docs/campaigns.md: "A contact created again with a suppressed phone starts opted out."
    expect((await api.contacts.get({ id: again.id })).optedOutAt).not.toBeNull();
  });

  it("a manual opt-out adds the phone to the suppression list, so a re-created contact is never messaged", async () => {
    const api = callerFor(t);
    const phone = phones(1, 900)[0]!;
    const group = `Manual-${randomUUID().slice(0, 6)}`;
    const created = await api.contacts.create({ phone, nombre: "Fito", groups: [group] });
    await api.contacts.optOut({ id: created.id, reason: "Pidió no ser contactado por teléfono" });
    await api.contacts.delete({ id: created.id });
    const again = await api.contacts.create({ phone, nombre: "Fito", groups: [group] });

    const bot = await createSandboxBot(t);
    const campaign = await api.campaigns.create(
      draftOf("Tras la baja manual", again.groups[0]!.id, [bot.id]),
    );
    await api.campaigns.launch({ id: campaign.id });
    await waitForCampaign(t, campaign.id, ["completed"]);
    const [row] = await recipientsOf(t.workspaceId, campaign.id);
    expect(row).toMatchObject({ phone, status: "skipped", errorCode: "opted_out" });
    expect(await suppressionOf(t.workspaceId, phone)).toBeTruthy();
  });
});

/**
 * 40 recipients through a paced sandbox bot that fails every send (20/s: a round is 20
 * sends): the first round's failures exceed 20% of the last 10 outcomes and pause the
 * campaign. Resolves once no recipient is left `sending`.
 */
async function spikedCampaign(t: Tenant, name: string, from: number) {
  const bot = await createSandboxBot(
    t,
    { ratePerSecond: 20 },
    { latencyMs: 0, failureRate: 1, deliveredAfterMs: null, readAfterMs: null },
  );
  const { groupId } = await seedAudience(t.workspaceId, 40, { from });
  const api = callerFor(t);
  const campaign = await api.campaigns.create({
    ...draftOf(name, groupId, [bot.id]),
    failureRate: 20,
    failureWindow: 10,
  });
  await api.campaigns.launch({ id: campaign.id });
  const paused = await waitForCampaign(t, campaign.id, ["paused", "completed"]);
  expect(paused).toMatchObject({ status: "paused", statusReason: "failure_spike" });
  // A round claimed before the pause was seen goes back to the queue, unsent.
  const held = await waitUntil(
    "claimed recipients to be released",
    async () => {
      const counts = await statusCounts(t.workspaceId, campaign.id);
      return !counts.sending && counts;
    },
    3_000,
  );
  return { campaign, bot, held };
}

async function suppressionOf(workspaceId: string, phone: string) {
  const { rows } = await systemDb().execute<{ source: string; reason: string | null }>(
    sql`select source, reason from suppression where workspace_id = ${workspaceId} and phone = ${phone}`,
  );
  return rows[0] ?? null;
}
