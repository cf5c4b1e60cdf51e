/**
 * The bot detail page's procedure and the bot form's inbound webhook secrets:
 * - `bots.get` adds the last 7 local days of sends and failures (from the folded stats), for
 *   that bot only; another workspace gets NOT_FOUND, a viewer reads, a viewer cannot write,
 *   an operator cannot replace stored credentials;
 *   `botExists` (the page's not-found check) sees only the workspace's own bots.
 * - WhatsApp's app secret and verify token and Infobip's webhook token and Basic credentials,
 *   saved through `bots.update`, are exactly what the webhook receivers check (real requests
 *   on the fast lane), are never in any answer (only their names, in `credentialsSet`), and
 *   survive a later save that leaves them blank.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botExists } from "@/modules/bots/bots.service";
import { addDays, todayIn } from "@/modules/stats/calendar";
import { statsDays } from "@/modules/stats/stats.table";
import type { User } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { callerFor, createSandboxBot } from "../helpers/campaigns";
import { addMember, contextFor, createUser } from "../helpers/fixtures";
import { freshTenant, type Tenant } from "../helpers/import";
import {
  basicAuth,
  hubSignature,
  metaBody,
  postRaw,
  startFastLane,
  type LaneServer,
} from "./webhooks-helpers";

let a: Tenant;
let b: Tenant;
let viewer: User;
let operator: User;
let lane: LaneServer;

const asViewer = () => createCaller(contextFor(viewer, a.workspaceId));
const asOperator = () => createCaller(contextFor(operator, a.workspaceId));

async function codeOf(call: Promise<unknown>): Promise<string | null> {
  return call.then(
    () => null,
    (err: unknown) => (err instanceof TRPCError ? err.code : String(err)),
  );
}

/** No answer may carry a secret's value, in any field or nesting. */
function expectNoSecrets(answer: unknown, secrets: string[]) {
  const text = JSON.stringify(answer);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  [a, b] = await Promise.all([freshTenant(), freshTenant()]);
  viewer = await createUser();
  await addMember(a.workspace, viewer, "viewer");
  operator = await createUser();
  await addMember(a.workspace, operator, "operator");
  lane = await startFastLane();
});

afterAll(async () => {
  await lane?.close();
  await closeDatabase();
});

describe("bots.get for the detail page", () => {
  it("has the last 7 local days of this bot's sends and failures, oldest first", async () => {
    const bot = await createSandboxBot(a);
    const other = await createSandboxBot(a);
    const today = todayIn(a.workspace.timeZone);
    const row = (day: string, botId: string, status: string, count: number) => ({
      workspaceId: a.workspaceId,
      day,
      campaignId: randomUUID(),
      botId,
      groupId: randomUUID(),
      status,
      count,
    });
    await systemDb()
      .insert(statsDays)
      .values([
        row(today, bot.id, "sent", 5),
        row(today, bot.id, "failed", 2),
        row(today, bot.id, "delivered", 4),
        row(addDays(today, -6), bot.id, "sent", 3),
        // Outside the window, and another bot's day: neither counts.
        row(addDays(today, -7), bot.id, "sent", 100),
        row(today, other.id, "sent", 50),
      ]);

    const view = await callerFor(a).bots.get({ id: bot.id });
    expect(view.lastDays).toHaveLength(7);
    expect(view.lastDays[0]).toEqual({ day: addDays(today, -6), sent: 3, failed: 0 });
    expect(view.lastDays[6]).toEqual({ day: today, sent: 5, failed: 2 });
    expect(view.lastDays.slice(1, 6).every((d) => d.sent === 0 && d.failed === 0)).toBe(true);
    expect(view).toMatchObject({ id: bot.id, kind: "sandbox", status: "active" });

    // A viewer reads the same page.
    expect((await asViewer().bots.get({ id: bot.id })).lastDays).toEqual(view.lastDays);
  });

  it("is NOT_FOUND from another workspace, and the page's check agrees", async () => {
    const bot = await createSandboxBot(a);
    expect(await codeOf(callerFor(b).bots.get({ id: bot.id }))).toBe("NOT_FOUND");
    expect(await botExists(a.workspaceId, bot.id)).toBe(true);
    expect(await botExists(b.workspaceId, bot.id)).toBe(false);
    expect(await botExists(a.workspaceId, randomUUID())).toBe(false);
  });

  it("lets a viewer act on nothing", async () => {
    const bot = await createSandboxBot(a);
    expect(await codeOf(asViewer().bots.pause({ id: bot.id }))).toBe("FORBIDDEN");
    expect(await codeOf(asViewer().bots.rotateSecret({ id: bot.id }))).toBe("FORBIDDEN");
    expect((await callerFor(a).bots.get({ id: bot.id })).status).toBe("active");
  });
});

describe("inbound webhook secrets in the bot form", () => {
  it("WhatsApp: the app secret and verify token saved are the ones Meta's requests are checked with", async () => {
    const api = callerFor(a);
    const phoneNumberId = String(randomInt(10 ** 11, 10 ** 12));
    const accessToken = `EAAG${randomBytes(12).toString("hex")}`;
    const appSecret = randomBytes(16).toString("hex");
    const verifyToken = `verify-${randomUUID()}`;
    const limits = { concurrency: 2 };
    const created = await api.bots.create({
      name: `WhatsApp ${randomUUID().slice(0, 6)}`,
      kind: "whatsapp_cloud",
      config: { phoneNumberId },
      credentials: { accessToken },
      ...limits,
    });
    expect(created.bot.credentialsSet).toEqual(["accessToken"]);
    const id = created.bot.id;

    // Before the app secret is set, a body signed with it is refused.
    const body = metaBody(phoneNumberId, {
      statuses: [{ id: `wamid.${randomUUID()}`, status: "delivered" }],
    });
    const post = (secret: string) =>
      postRaw(`${lane.url}/api/webhooks/whatsapp`, body, {
        "x-hub-signature-256": hubSignature(body, secret),
      });
    expect((await post(appSecret)).status).toBe(401);

    const updated = await api.bots.update({
      id,
      name: created.bot.name,
      config: { phoneNumberId },
      credentials: { appSecret, verifyToken },
      ...limits,
    });
    expect(updated.credentialsSet).toEqual(["accessToken", "appSecret", "verifyToken"]);

    expect((await post(appSecret)).status).toBe(200);
    expect((await post(randomBytes(16).toString("hex"))).status).toBe(401);
    const challenge = await fetch(
      `${lane.url}/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=4242`,
    );
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe("4242");

    // A later save with the secrets left blank keeps them.
    const renamed = await api.bots.update({
      id,
      name: `${created.bot.name} 2`,
      config: { phoneNumberId },
      ...limits,
    });
    expect(renamed.credentialsSet).toEqual(["accessToken", "appSecret", "verifyToken"]);
    expect((await post(appSecret)).status).toBe(200);

    const answers = [
      created,
      updated,
      renamed,
      await api.bots.get({ id }),
      await api.bots.list({}),
      await asViewer().bots.get({ id }),
    ];
    expectNoSecrets(answers, [accessToken, appSecret, verifyToken]);
  });

  it("WhatsApp: a malformed app secret is refused in place and changes nothing", async () => {
    const api = callerFor(a);
    const phoneNumberId = String(randomInt(10 ** 11, 10 ** 12));
    const { bot } = await api.bots.create({
      name: `WhatsApp ${randomUUID().slice(0, 6)}`,
      kind: "whatsapp_cloud",
      config: { phoneNumberId },
      credentials: { accessToken: "EAAGtoken" },
    });
    const err = await api.bots
      .update({
        id: bot.id,
        name: bot.name,
        config: { phoneNumberId },
        credentials: { appSecret: "short" },
      })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    expect(err?.code).toBe("BAD_REQUEST");
    expect(JSON.stringify((err?.cause as { fieldErrors?: unknown })?.fieldErrors)).toContain(
      "credentials.appSecret",
    );
    expect((await api.bots.get({ id: bot.id })).credentialsSet).toEqual(["accessToken"]);
  });

  it("Infobip: token and Basic credentials are all three or none, and are what the receiver checks", async () => {
    const api = callerFor(a);
    const config = { baseUrl: "http://127.0.0.1:9", sender: "595981000111" };
    const apiKey = randomBytes(16).toString("hex");
    const { bot } = await api.bots.create({
      name: `Infobip ${randomUUID().slice(0, 6)}`,
      kind: "infobip",
      config,
      credentials: { apiKey },
    });
    const webhookToken = randomBytes(32).toString("base64url");
    const webhookUsername = `ib-${randomUUID().slice(0, 8)}`;
    const webhookPassword = randomBytes(18).toString("base64url");

    // Only the token: refused, beside the two missing fields.
    const partial = await api.bots
      .update({ id: bot.id, name: bot.name, config, credentials: { webhookToken } })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    expect(partial?.code).toBe("BAD_REQUEST");
    const fields = JSON.stringify((partial?.cause as { fieldErrors?: unknown })?.fieldErrors);
    expect(fields).toContain("credentials.webhookUsername");
    expect(fields).toContain("credentials.webhookPassword");

    const report = JSON.stringify({
      results: [{ messageId: randomUUID(), seenAt: "2025-06-01T12:01:00.000+0000" }],
    });
    const post = (token: string, password: string) =>
      postRaw(`${lane.url}/api/webhooks/infobip/${bot.id}?token=${token}`, report, {
        authorization: basicAuth(webhookUsername, password),
      });
    expect((await post(webhookToken, webhookPassword)).status).toBe(401);

    const updated = await api.bots.update({
      id: bot.id,
      name: bot.name,
      config,
      credentials: { webhookToken, webhookUsername, webhookPassword },
    });
    expect(updated.credentialsSet).toEqual([
      "apiKey",
      "webhookPassword",
      "webhookToken",
      "webhookUsername",
    ]);
    expect((await post(webhookToken, webhookPassword)).status).toBe(200);
    expect((await post(webhookToken, `${webhookPassword}x`)).status).toBe(401);
    expect((await post(randomBytes(32).toString("base64url"), webhookPassword)).status).toBe(401);

    expectNoSecrets(
      [updated, await api.bots.get({ id: bot.id }), await api.bots.list({})],
      [apiKey, webhookToken, webhookUsername, webhookPassword],
    );
  });

  it("only operators and admins may set them", async () => {
    const api = callerFor(a);
    const phoneNumberId = String(randomInt(10 ** 11, 10 ** 12));
    const { bot } = await api.bots.create({
      name: `WhatsApp ${randomUUID().slice(0, 6)}`,
      kind: "whatsapp_cloud",
      config: { phoneNumberId },
      credentials: { accessToken: "EAAGtoken" },
    });
    const input = {
      id: bot.id,
      name: bot.name,
      config: { phoneNumberId },
      credentials: { appSecret: randomBytes(16).toString("hex") },
    };
    expect(await codeOf(asViewer().bots.update(input))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(b).bots.update(input))).toBe("NOT_FOUND");
    expect((await api.bots.get({ id: bot.id })).credentialsSet).toEqual(["accessToken"]);
  });

  it("an operator edits the bot but may not replace its stored credentials (admins manage secrets)", async () => {
    const api = callerFor(a);
    const phoneNumberId = String(randomInt(10 ** 11, 10 ** 12));
    const { bot } = await asOperator().bots.create({
      name: `WhatsApp ${randomUUID().slice(0, 6)}`,
      kind: "whatsapp_cloud",
      config: { phoneNumberId },
      credentials: { accessToken: "EAAGtoken" },
    });
    const base = { id: bot.id, name: "Renombrado", config: { phoneNumberId } };
    const stolen = { ...base, credentials: { accessToken: "EAAGother" } };
    expect(await codeOf(asOperator().bots.update(stolen))).toBe("FORBIDDEN");
    const renamed = await asOperator().bots.update(base);
    expect(renamed.name).toBe("Renombrado");
    expect(renamed.credentialsSet).toEqual(["accessToken"]);
    expect((await api.bots.update(stolen)).credentialsSet).toEqual(["accessToken"]);
  });
});
