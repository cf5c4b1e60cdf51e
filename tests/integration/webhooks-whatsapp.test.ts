/**
 * WhatsApp Cloud API webhooks on the fast lane, end to end: a real campaign sends through a
 * whatsapp_cloud bot to the fake Meta server (so recipients hold real wamids), then Meta's
 * webhooks arrive signed (or not) and move recipients, opt people out, or change nothing.
 */
import { randomInt, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { materialize } from "@/modules/campaigns/campaign-launch.service";
import { suppressions } from "@/modules/campaigns/campaigns.table";
import { contacts } from "@/modules/contacts/contacts.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import {
  callerFor,
  createSandboxBot,
  phones,
  recipientsOf,
  seedContacts,
  startCampaignWorkers,
  waitForCampaign,
} from "../helpers/campaigns";
import { startWhatsappCloudFake, type WhatsappCloudFake } from "../helpers/fake-providers";
import { freshTenant, type Tenant } from "../helpers/import";
import {
  hubSignature,
  metaBody,
  postRaw,
  startFastLane,
  type LaneServer,
  type MetaStatus,
} from "./webhooks-helpers";

const ACCESS_TOKEN = "EAAGwebhooktest";
const APP_SECRET = "0123456789abcdef0123456789abcdef";
const OTHER_SECRET = "fedcba9876543210fedcba9876543210";
// Unique per run: other test files configure WhatsApp bots in the same database.
const PHONE_NUMBER_ID = `1065${randomInt(10 ** 10, 10 ** 11)}`;
const VERIFY_TOKEN = `verify-${randomUUID()}`;

let lane: LaneServer;
let meta: WhatsappCloudFake;
let t: Tenant;
let endpoint: string;

async function createWhatsappBot(tenant: Tenant, appSecret: string, verifyToken?: string) {
  const { bot } = await callerFor(tenant).bots.create({
    name: `WhatsApp ${randomUUID().slice(0, 6)}`,
    kind: "whatsapp_cloud",
    config: { phoneNumberId: PHONE_NUMBER_ID, baseUrl: meta.url },
    credentials: {
      accessToken: ACCESS_TOKEN,
      appSecret,
      ...(verifyToken && { verifyToken }),
    },
  });
  return bot;
}

function deliver(body: string, secret = APP_SECRET) {
  return postRaw(endpoint, body, { "x-hub-signature-256": hubSignature(body, secret) });
}

async function recipientRows(campaignId: string) {
  const rows = await recipientsOf(t.workspaceId, campaignId);
  return new Map(rows.map((r) => [r.phone, r]));
}

async function eventCount(recipientId: string, type: string) {
  const { rows } = await systemDb().execute<{ n: number }>(
    sql`select count(*)::int as n from message_event
         where workspace_id = ${t.workspaceId} and recipient_id = ${recipientId} and type = ${type}`,
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  await startCampaignWorkers(await getBoss());
  meta = await startWhatsappCloudFake({
    accessToken: ACCESS_TOKEN,
    phoneNumberId: PHONE_NUMBER_ID,
  });
  lane = await startFastLane();
  endpoint = `${lane.url}/api/webhooks/whatsapp`;
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await meta?.close();
  await stopBoss(5_000);
  await closeDatabase();
});

describe("WhatsApp webhook handshake", () => {
  beforeAll(async () => {
    await createWhatsappBot(t, APP_SECRET, VERIFY_TOKEN);
  });

  it("echoes hub.challenge as text when the verify token is a bot's", async () => {
    const query = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.verify_token": VERIFY_TOKEN,
      "hub.challenge": "1158201444",
    });
    const res = await fetch(`${endpoint}?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("1158201444");
  });

  it("refuses a wrong token, another mode, or no challenge with 403", async () => {
    for (const [mode, token, challenge] of [
      ["subscribe", "not-the-token", "1"],
      ["unsubscribe", VERIFY_TOKEN, "1"],
      ["subscribe", VERIFY_TOKEN, ""],
      ["subscribe", VERIFY_TOKEN, "<script>"],
    ]) {
      const query = new URLSearchParams({
        "hub.mode": mode!,
        "hub.verify_token": token!,
        "hub.challenge": challenge!,
      });
      const res = await fetch(`${endpoint}?${query}`);
      expect(res.status, `${mode} ${token} ${challenge}`).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
  });
});

describe("WhatsApp status webhooks", () => {
  let campaignId: string;
  let byPhone: Awaited<ReturnType<typeof recipientRows>>;
  const ps = phones(5, 300);

  beforeAll(async () => {
    const bot = await createWhatsappBot(t, APP_SECRET);
    const groups = await seedContacts(
      t.workspaceId,
      ps.map((phone) => ({ phone, nombre: "Ana", groups: ["Estados"] })),
    );
    const api = callerFor(t);
    const campaign = await api.campaigns.create({
      name: "Estados",
      audience: { groupIds: [groups.get("Estados")!], excludeGroupIds: [], sources: [] },
      templates: [{ kind: "text", body: "Hola {{nombre}}" }],
      botIds: [bot.id],
    });
    campaignId = campaign.id;
    await api.campaigns.launch({ id: campaignId });
    await waitForCampaign(t, campaignId, ["completed"]);
    byPhone = await recipientRows(campaignId);
    for (const r of byPhone.values()) {
      expect(r).toMatchObject({
        status: "sent",
        providerMessageId: expect.stringMatching(/^wamid\./),
      });
    }
  });

  const statusFor = (
    phone: string,
    status: MetaStatus["status"],
    extra: Partial<MetaStatus> = {},
  ) => ({
    id: byPhone.get(phone)!.providerMessageId!,
    status,
    recipient_id: phone.slice(1),
    ...extra,
  });

  it("answers 401 to a missing, malformed or forged signature and changes nothing", async () => {
    const body = metaBody(PHONE_NUMBER_ID, { statuses: [statusFor(ps[0]!, "read")] });
    const attempts = [
      await postRaw(endpoint, body),
      await postRaw(endpoint, body, { "x-hub-signature-256": "sha256=abc" }),
      await postRaw(endpoint, body, { "x-hub-signature-256": hubSignature(body, OTHER_SECRET) }),
      // Signed, then tampered with: the signature covers the exact bytes.
      await postRaw(endpoint, body.replace('"read"', '"failed"'), {
        "x-hub-signature-256": hubSignature(body, APP_SECRET),
      }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { code: "UNAUTHORIZED", message: expect.any(String) },
      });
    }
    const after = await recipientRows(campaignId);
    expect(after.get(ps[0]!)).toMatchObject({ status: "sent", readAt: null });
    expect(await eventCount(byPhone.get(ps[0]!)!.id, "read")).toBe(0);
  });

  it("applies signed statuses: by wamid, by biz_opaque_callback_data, and failures with wa_<code>", async () => {
    const [p0, p1, p2] = ps;
    const body = metaBody(PHONE_NUMBER_ID, {
      statuses: [
        statusFor(p0!, "delivered"),
        // An id Meta does not know us by: only our recipient id (the opaque data) finds it.
        {
          ...statusFor(p1!, "read"),
          id: "wamid.not-stored",
          biz_opaque_callback_data: byPhone.get(p1!)!.id,
        },
        statusFor(p2!, "failed", { errors: [{ code: 131026, title: "Message undeliverable" }] }),
      ],
    });
    const res = await deliver(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });

    const after = await recipientRows(campaignId);
    expect(after.get(p0!)).toMatchObject({ status: "delivered", deliveredAt: expect.any(Date) });
    expect(after.get(p1!)).toMatchObject({ status: "read", readAt: expect.any(Date) });
    expect(after.get(p2!)).toMatchObject({ status: "failed", errorCode: "wa_131026" });
  });

  it("never moves backwards: read, then delivered, then sent ends at read; duplicates are harmless", async () => {
    const p = ps[3]!;
    const read = metaBody(PHONE_NUMBER_ID, { statuses: [statusFor(p, "read")] });
    for (const body of [
      read,
      metaBody(PHONE_NUMBER_ID, { statuses: [statusFor(p, "delivered")] }),
      metaBody(PHONE_NUMBER_ID, { statuses: [statusFor(p, "sent")] }),
      read,
      metaBody(PHONE_NUMBER_ID, {
        statuses: [statusFor(p, "failed", { errors: [{ code: 131000, title: "late" }] })],
      }),
    ]) {
      expect((await deliver(body)).status).toBe(200);
    }
    const row = (await recipientRows(campaignId)).get(p)!;
    expect(row).toMatchObject({ status: "read", errorCode: null });
    expect(row.readAt).not.toBeNull();
    expect(row.deliveredAt).not.toBeNull();
    expect(await eventCount(row.id, "read")).toBe(1);
    expect(await eventCount(row.id, "delivered")).toBe(0);
  });

  it("routes a shared phone number id to the workspace whose app secret signed the body", async () => {
    const other = await freshTenant();
    await createWhatsappBot(other, OTHER_SECRET);
    const p = ps[4]!;
    await seedContacts(other.workspaceId, [{ phone: p, nombre: "Otra" }]);

    // Signed by the other workspace's app: its opt-out, not ours, and our receipt untouched.
    const body = metaBody(PHONE_NUMBER_ID, {
      statuses: [statusFor(p, "read")],
      messages: [{ from: p, text: "STOP" }],
    });
    expect((await deliver(body, OTHER_SECRET)).status).toBe(200);

    const suppressed = async (workspaceId: string) =>
      (
        await systemDb()
          .select()
          .from(suppressions)
          .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.phone, p)))
      ).length;
    expect(await suppressed(other.workspaceId)).toBe(1);
    expect(await suppressed(t.workspaceId)).toBe(0);
    expect((await recipientRows(campaignId)).get(p)).toMatchObject({ status: "sent" });
  });

  it("answers 200 to a genuine event for a number without a bot, 401 to a forged one", async () => {
    const body = metaBody("999000111222333", { messages: [{ from: ps[0]!, text: "STOP" }] });
    expect((await deliver(body)).status).toBe(200);
    expect((await deliver(body, "a-secret-no-bot-has-0123456789")).status).toBe(401);
    const [row] = await systemDb()
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, t.workspaceId), eq(contacts.phone, ps[0]!)));
    expect(row!.optedOutAt).toBeNull();
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const res = await deliver("{not json");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });
});

describe("WhatsApp replies", () => {
  it("opts a STOP/BAJA replier out and cancels their queued sends, and only theirs", async () => {
    await createWhatsappBot(t, APP_SECRET);
    const [stopper, stopper2, stayer] = phones(3, 400);
    const groups = await seedContacts(t.workspaceId, [
      { phone: stopper!, nombre: "Ana", groups: ["Pendientes"] },
      { phone: stopper2!, nombre: "Beto", groups: ["Pendientes"] },
      { phone: stayer!, nombre: "Caro", groups: ["Pendientes"] },
    ]);
    // A paused sender: recipients are materialised and stay queued.
    const sandbox = await createSandboxBot(t);
    const api = callerFor(t);
    await api.bots.pause({ id: sandbox.id });
    const campaign = await api.campaigns.create({
      name: "Pendientes",
      audience: { groupIds: [groups.get("Pendientes")!], excludeGroupIds: [], sources: [] },
      templates: [{ kind: "text", body: "Hola {{nombre}}" }],
      botIds: [sandbox.id],
    });
    await api.campaigns.launch({ id: campaign.id });
    await materialize({ workspaceId: t.workspaceId, campaignId: campaign.id });
    const queued = await recipientsOf(t.workspaceId, campaign.id);
    expect(queued.map((r) => r.status)).toEqual(["queued", "queued", "queued"]);

    const body = metaBody(PHONE_NUMBER_ID, {
      messages: [
        { from: stopper!, text: "BAJA" },
        { from: stopper2!, text: "¡Stop!" },
        { from: stayer!, text: "Gracias, me interesa" },
      ],
    });
    expect((await deliver(body)).status).toBe(200);
    // A duplicate delivery of the same replies changes nothing more.
    expect((await deliver(body)).status).toBe(200);

    const rows = new Map((await recipientsOf(t.workspaceId, campaign.id)).map((r) => [r.phone, r]));
    for (const p of [stopper!, stopper2!]) {
      expect(rows.get(p)).toMatchObject({ status: "canceled", errorCode: "opted_out" });
    }
    expect(rows.get(stayer!)).toMatchObject({ status: "queued" });

    const suppressed = await systemDb()
      .select({ phone: suppressions.phone, source: suppressions.source })
      .from(suppressions)
      .where(eq(suppressions.workspaceId, t.workspaceId));
    expect(suppressed.filter((s) => [stopper, stopper2, stayer].includes(s.phone))).toEqual(
      expect.arrayContaining([
        { phone: stopper!, source: "inbound" },
        { phone: stopper2!, source: "inbound" },
      ]),
    );
    expect(suppressed.some((s) => s.phone === stayer)).toBe(false);

    const people = await systemDb()
      .select({ phone: contacts.phone, optedOutAt: contacts.optedOutAt })
      .from(contacts)
      .where(eq(contacts.workspaceId, t.workspaceId));
    const optedOut = new Map(people.map((c) => [c.phone, c.optedOutAt]));
    expect(optedOut.get(stopper!)).toBeInstanceOf(Date);
    expect(optedOut.get(stopper2!)).toBeInstanceOf(Date);
    expect(optedOut.get(stayer!)).toBeNull();
  });
});
