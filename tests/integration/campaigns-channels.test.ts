/**
 * Provider answers through the real send pipeline (pg-boss workers in this process, real
 * Postgres) against fake WhatsApp Cloud, Infobip and signed-webhook servers: what is retried
 * with backoff, what fails for good, what pauses the campaign or the bot, and what each
 * provider receives.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import {
  callerFor,
  createWebhookBot,
  draftOf,
  eventsOf,
  recipientsOf,
  seedAudience,
  campaignSuite,
  statusCounts,
  waitForCampaign,
  waitUntil,
  webhookSecret,
} from "../helpers/campaigns";
import {
  startInfobipFake,
  startWebhookReceiver,
  startWhatsappCloudFake,
  type FakeProvider,
} from "../helpers/fake-providers";
import type { Tenant } from "../helpers/import";

const PHONE_NUMBER_ID = "106540352242922";
const TOKEN = "EAAGtest-campaigns";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every request the provider got for this recipient, accepted or not, in arrival order. */
function requestsFor(provider: Pick<FakeProvider, "received">, recipientId: string) {
  return provider.received.filter((r) => r.ids.includes(recipientId));
}

describe("campaign sends through the provider channels", () => {
  let t: Tenant;
  const fakes: { close(): Promise<void> }[] = [];

  campaignSuite((tenant) => (t = tenant));
  afterAll(() => Promise.all(fakes.map((f) => f.close())));

  async function whatsapp() {
    const meta = await startWhatsappCloudFake({
      accessToken: TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
    });
    fakes.push(meta);
    const { bot } = await callerFor(t).bots.create({
      name: `WhatsApp ${Math.random().toString(36).slice(2, 8)}`,
      kind: "whatsapp_cloud",
      config: { baseUrl: meta.url, phoneNumberId: PHONE_NUMBER_ID },
      credentials: { accessToken: TOKEN },
    } as never);
    return { meta, bot };
  }

  async function launch(name: string, count: number, botId: string, from: number) {
    const audience = await seedAudience(t.workspaceId, count, { from });
    return launchTo(name, audience.groupId, botId);
  }

  async function launchTo(name: string, groupId: string, botId: string) {
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf(name, groupId, [botId]));
    await api.campaigns.launch({ id: campaign.id });
    return campaign;
  }

  it("retries WhatsApp 130429 and 131056 with backoff, then sends each once", async () => {
    const { meta, bot } = await whatsapp();
    // The first two calls (one per recipient) are throttled; their second attempts succeed.
    meta.failNext(1, 130429);
    meta.failNext(1, 131056);
    const campaign = await launch("Reintentos", 2, bot.id, 0);
    // Backoff starts at 2 s ±50%: both retries are due within ~3 s.
    const done = await waitForCampaign(t, campaign.id, ["completed"], 15_000);
    expect(done.counts).toMatchObject({ total: 2, sent: 2, failed: 0, pending: 0 });

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    for (const r of rows) {
      expect(r).toMatchObject({ status: "sent", attempts: 2, errorCode: null });
      expect(r.providerMessageId).toMatch(/^wamid\./);
      const calls = requestsFor(meta, r.id);
      expect(calls.map((c) => c.status)).toEqual([expect.any(Number), 200]);
      expect(calls[0]!.status).not.toBe(200);
      expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
      expect(meta.count(r.id)).toBe(1);
    }
    const codes = rows.map((r) => requestsFor(meta, r.id)[0]!.status);
    expect(codes.sort()).toEqual([400, 400]);
    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ retry: 2, sent: 2 });
  });

  it("fails WhatsApp 131047 and 131026 for good, without a retry", async () => {
    const { meta, bot } = await whatsapp();
    const { groupId, phones } = await seedAudience(t.workspaceId, 3, { from: 100 });
    const [outsideWindow, notOnWhatsapp, fine] = phones as [string, string, string];
    meta.failFor(outsideWindow, 131047);
    meta.failFor(notOnWhatsapp, 131026);
    const campaign = await launchTo("Permanentes", groupId, bot.id);
    const done = await waitForCampaign(t, campaign.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 3, sent: 1, failed: 2, pending: 0 });

    const byPhone = new Map(
      (await recipientsOf(t.workspaceId, campaign.id)).map((r) => [r.phone, r]),
    );
    expect(byPhone.get(outsideWindow)).toMatchObject({
      status: "failed",
      errorCode: "wa_131047",
      attempts: 1,
    });
    expect(byPhone.get(notOnWhatsapp)).toMatchObject({
      status: "failed",
      errorCode: "wa_131026",
      attempts: 1,
    });
    expect(byPhone.get(fine)).toMatchObject({ status: "sent", attempts: 1 });
    // Given time for a retry that must not come, each was asked exactly once.
    await sleep(3_500);
    for (const r of byPhone.values()) expect(requestsFor(meta, r.id), r.phone).toHaveLength(1);
    expect(await eventsOf(t.workspaceId, campaign.id)).not.toHaveProperty("retry");
  });

  it("pauses the campaign on WhatsApp 131048 and sends nothing more", async () => {
    const { meta, bot } = await whatsapp();
    meta.failNext(1, 131048);
    const campaign = await launch("Spam", 3, bot.id, 200);
    const paused = await waitForCampaign(t, campaign.id, ["paused", "completed"]);
    expect(paused).toMatchObject({ status: "paused", statusReason: "wa_131048" });
    await sleep(500);
    // The spam signal stops the campaign at once: the other recipients are not attempted.
    expect(meta.received.length).toBe(1);
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ queued: 3 });
    expect((await callerFor(t).bots.get({ id: bot.id })).status).toBe("active");
  });

  it("pauses the bot on WhatsApp 368 with the reason, and sends nothing more through it", async () => {
    const { meta, bot } = await whatsapp();
    meta.failNext(1, 368);
    const campaign = await launch("Bloqueo", 3, bot.id, 300);
    const paused = await waitUntil("the bot to pause", async () => {
      const view = await callerFor(t).bots.get({ id: bot.id });
      return view.status !== "active" && view;
    });
    expect(paused).toMatchObject({ status: "paused", statusReason: "wa_368" });
    await sleep(500);
    expect(meta.received.length).toBe(1);
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ queued: 3 });
    expect((await callerFor(t).campaigns.get({ id: campaign.id })).status).toBe("running");
  });

  it("signs webhook sends verifiably, and a 410 disables the webhook bot", async () => {
    const secret = webhookSecret();
    const receiver = await startWebhookReceiver({ secrets: [secret] });
    fakes.push(receiver);
    const bot = await createWebhookBot(t, receiver.url, secret);
    const campaign = await launch("Webhook", 2, bot.id, 400);
    await waitForCampaign(t, campaign.id, ["completed"]);

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    const verifier = new Webhook(secret);
    for (const r of rows) {
      expect(r).toMatchObject({ status: "sent", providerMessageId: `rcv_${r.id}` });
      const [request] = requestsFor(receiver, r.id);
      const headers = request!.headers as Record<string, string>;
      expect(headers["webhook-id"]).toBe(r.id);
      // Throws unless the signature covers this exact body, id and timestamp.
      expect(verifier.verify(request!.rawBody, headers)).toMatchObject({
        type: "message.send",
        data: { recipientId: r.id, campaignId: campaign.id, to: r.phone },
      });
      expect(() => new Webhook(webhookSecret()).verify(request!.rawBody, headers)).toThrow();
    }

    receiver.failNext(1, { status: 410 });
    const gone = await launch("Webhook 410", 2, bot.id, 450);
    const disabled = await waitUntil("the bot to be disabled", async () => {
      const view = await callerFor(t).bots.get({ id: bot.id });
      return view.status !== "active" && view;
    });
    expect(disabled).toMatchObject({ status: "disabled", statusReason: "http_410" });
    await sleep(500);
    expect(await statusCounts(t.workspaceId, gone.id)).toEqual({ queued: 2 });
  });

  it("sends Infobip messages with our recipient id as Infobip's messageId", async () => {
    const infobip = await startInfobipFake({ apiKey: "ib-key", senders: ["595981000000"] });
    fakes.push(infobip);
    const { bot } = await callerFor(t).bots.create({
      name: `Infobip ${Math.random().toString(36).slice(2, 8)}`,
      kind: "infobip",
      config: { baseUrl: infobip.url, sender: "+595981000000" },
      credentials: { apiKey: "ib-key" },
    } as never);
    const campaign = await launch("Infobip", 3, bot.id, 500);
    await waitForCampaign(t, campaign.id, ["completed"]);

    const rows = await recipientsOf(t.workspaceId, campaign.id);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toMatchObject({ status: "sent", providerMessageId: r.id, attempts: 1 });
      const [request] = requestsFor(infobip, r.id);
      expect(request!.path).toBe("/whatsapp/1/message/text");
      expect(request!.headers.authorization).toBe("App ib-key");
      expect(request!.body).toMatchObject({
        from: "595981000000",
        to: r.phone.slice(1),
        messageId: r.id,
        content: { text: `Hola ${r.nombre}` },
      });
    }
    expect(infobip.duplicates()).toEqual([]);
    expect(infobip.unique.size).toBe(3);
  });
});
