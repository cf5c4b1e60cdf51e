/**
 * Infobip webhooks on the fast lane: a campaign sends through an infobip bot to the fake
 * Infobip server (our recipient id travels as Infobip's messageId), then delivery reports,
 * seen reports and replies arrive at the bot's URL, with or without the right credentials.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressions } from "@/modules/campaigns/campaigns.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import {
  callerFor,
  phones,
  recipientsOf,
  seedContacts,
  startCampaignWorkers,
  waitForCampaign,
} from "../helpers/campaigns";
import { startInfobipFake, type InfobipFake } from "../helpers/fake-providers";
import { freshTenant, type Tenant } from "../helpers/import";
import { basicAuth, postRaw, startFastLane, type LaneServer } from "./webhooks-helpers";

const API_KEY = "ib-api-key-test";
const WEBHOOK = {
  webhookToken: `tok_${randomUUID().replaceAll("-", "")}`,
  webhookUsername: "infobip",
  webhookPassword: "correct horse battery staple",
};
const NO_ERROR = { id: 0, name: "NO_ERROR", groupId: 0, groupName: "OK", permanent: false };

let lane: LaneServer;
let infobip: InfobipFake;
let t: Tenant;
let botId: string;
let campaignId: string;
const ps = phones(4, 500);

function url(id = botId, token: string | null = WEBHOOK.webhookToken) {
  const query = token === null ? "" : `?token=${encodeURIComponent(token)}`;
  return `${lane.url}/api/webhooks/infobip/${id}${query}`;
}

const rightAuth = basicAuth(WEBHOOK.webhookUsername, WEBHOOK.webhookPassword);

async function byPhone() {
  return new Map((await recipientsOf(t.workspaceId, campaignId)).map((r) => [r.phone, r]));
}

beforeAll(async () => {
  await startCampaignWorkers(await getBoss());
  infobip = await startInfobipFake({ apiKey: API_KEY });
  lane = await startFastLane();
  t = await freshTenant();
  const api = callerFor(t);
  const { bot } = await api.bots.create({
    name: "Infobip",
    kind: "infobip",
    config: { baseUrl: infobip.url, sender: "447860099299" },
    credentials: { apiKey: API_KEY, ...WEBHOOK },
  });
  botId = bot.id;
  const groups = await seedContacts(
    t.workspaceId,
    ps.map((phone) => ({ phone, nombre: "Ana", groups: ["Infobip"] })),
  );
  const campaign = await api.campaigns.create({
    name: "Infobip",
    audience: { groupIds: [groups.get("Infobip")!], excludeGroupIds: [], sources: [] },
    templates: [{ kind: "text", body: "Hola {{nombre}}" }],
    botIds: [bot.id],
  });
  campaignId = campaign.id;
  await api.campaigns.launch({ id: campaignId });
  await waitForCampaign(t, campaignId, ["completed"]);
});

afterAll(async () => {
  await lane?.close();
  await infobip?.close();
  await stopBoss(5_000);
  await closeDatabase();
});

function deliveryReport(recipientId: string, groupName: string, name: string, error = NO_ERROR) {
  return {
    bulkId: "",
    messageId: recipientId,
    to: "595981000000",
    sentAt: "2025-06-01T12:00:00.000+0000",
    doneAt: "2025-06-01T12:00:05.000+0000",
    messageCount: 1,
    price: { pricePerMessage: 0, currency: "EUR" },
    status: { groupId: 3, groupName, id: 5, name, description: name },
    error,
    channel: "WHATSAPP",
  };
}

describe("Infobip webhooks", () => {
  it("refuses wrong Basic credentials, a wrong token, or an unknown bot alike, changing nothing", async () => {
    const [p0] = ps;
    const before = (await byPhone()).get(p0!)!;
    const body = JSON.stringify({
      results: [deliveryReport(before.id, "DELIVERED", "DELIVERED_TO_HANDSET")],
    });
    const attempts = [
      await postRaw(url(), body),
      await postRaw(url(), body, { authorization: basicAuth("infobip", "wrong password!!") }),
      await postRaw(url(), body, { authorization: basicAuth("someone", WEBHOOK.webhookPassword) }),
      await postRaw(url(botId, "tok_wrong_but_well_formed_123456"), body, {
        authorization: rightAuth,
      }),
      await postRaw(url(botId, null), body, { authorization: rightAuth }),
      await postRaw(url(randomUUID()), body, { authorization: rightAuth }),
      await postRaw(url("not-a-uuid"), body, { authorization: rightAuth }),
    ];
    const answers = await Promise.all(
      attempts.map(async (res) => ({
        status: res.status,
        challenge: res.headers.get("www-authenticate"),
        error: ((await res.json()) as { error: { code: string; message: string } }).error,
      })),
    );
    // One answer for every failure: nothing says whether the bot exists or which check failed.
    for (const a of answers) {
      expect(a).toEqual({
        status: 401,
        challenge: expect.stringMatching(/^Basic realm=/),
        error: {
          code: "UNAUTHORIZED",
          key: "webhook.unknownOrUnauthorized",
          message: answers[0]!.error.message,
          requestId: expect.any(String),
        },
      });
    }
    expect((await byPhone()).get(p0!)).toMatchObject({ status: "sent", deliveredAt: null });
  });

  it("applies delivery and seen reports with the right credentials; duplicates are harmless", async () => {
    const rows = await byPhone();
    const [p0, p1, p2] = ps;
    const reports = JSON.stringify({
      results: [
        deliveryReport(rows.get(p0!)!.id, "DELIVERED", "DELIVERED_TO_HANDSET"),
        deliveryReport(rows.get(p1!)!.id, "DELIVERED", "DELIVERED_TO_HANDSET"),
        deliveryReport(rows.get(p2!)!.id, "UNDELIVERABLE", "UNDELIVERABLE_NOT_DELIVERED", {
          id: 27,
          name: "EC_ABSENT_SUBSCRIBER",
          groupId: 1,
          groupName: "HANDSET_ERRORS",
          permanent: false,
        }),
      ],
    });
    const seen = JSON.stringify({
      results: [
        {
          messageId: rows.get(p1!)!.id,
          to: "595981000000",
          sentAt: "2025-06-01T12:00:00.000+0000",
          seenAt: "2025-06-01T12:01:00.000+0000",
        },
      ],
    });
    // Seen before delivered, and everything twice: still delivered/read, once each.
    for (const body of [seen, reports, reports, seen]) {
      const res = await postRaw(url(), body, { authorization: rightAuth });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true });
    }
    const after = await byPhone();
    expect(after.get(p0!)).toMatchObject({ status: "delivered" });
    expect(after.get(p0!)!.deliveredAt).toEqual(new Date("2025-06-01T12:00:05.000Z"));
    expect(after.get(p1!)).toMatchObject({ status: "read" });
    expect(after.get(p1!)!.readAt).toEqual(new Date("2025-06-01T12:01:00.000Z"));
    expect(after.get(p2!)).toMatchObject({
      status: "failed",
      errorCode: "ib_ec_absent_subscriber",
    });

    const { rows: events } = await systemDb().execute<{ type: string; n: number }>(
      sql`select type, count(*)::int as n from message_event
           where workspace_id = ${t.workspaceId} and campaign_id = ${campaignId}
             and type in ('delivered', 'read', 'failed') group by type order by type`,
    );
    expect(events).toEqual([
      { type: "delivered", n: 1 },
      { type: "failed", n: 1 },
      { type: "read", n: 1 },
    ]);
  });

  it("opts out a replier who writes STOP", async () => {
    const p = ps[3]!;
    const body = JSON.stringify({
      results: [
        {
          from: p.slice(1),
          to: "447860099299",
          integrationType: "WHATSAPP",
          receivedAt: "2025-06-01T12:02:00.000+0000",
          messageId: "ABEGOFl3VCQoAhAqnlmSd2FKPOaraEaS0rPQ",
          pairedMessageId: null,
          callbackData: null,
          message: { type: "TEXT", text: "stop" },
          price: { pricePerMessage: 0, currency: "EUR" },
        },
      ],
      messageCount: 1,
      pendingMessageCount: 0,
    });
    expect((await postRaw(url(), body, { authorization: rightAuth })).status).toBe(200);
    const rows = await systemDb()
      .select({ source: suppressions.source })
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, t.workspaceId), eq(suppressions.phone, p)));
    expect(rows).toEqual([{ source: "inbound" }]);
  });

  it("refuses a bot whose webhook settings are incomplete", async () => {
    await expect(
      callerFor(t).bots.create({
        name: "Infobip incompleto",
        kind: "infobip",
        config: { baseUrl: infobip.url, sender: "447860099299" },
        credentials: { apiKey: API_KEY, webhookToken: WEBHOOK.webhookToken },
      }),
    ).rejects.toMatchObject({
      cause: {
        fieldErrors: {
          "credentials.webhookUsername": [{ key: "bot.requiredForInbound" }],
          "credentials.webhookPassword": [{ key: "bot.requiredForInbound" }],
        },
      },
    });
  });
});
