/**
 * Signed bot events on the fast lane (Standard Webhooks): accepted and persisted before the
 * answer, replays acknowledged without effect, bad/expired/future signatures refused with no
 * change, the IP allowlist, secret rotation with an overlap (and revocation within the cache
 * window), task lifecycle events, replies that opt out, heartbeats and the live notification.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressions } from "@/modules/campaigns/campaigns.table";
import { AGENT_CACHE_MS } from "@/modules/bots/agents.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { nextNotification } from "@/server/realtime/notifications";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import {
  agentCall,
  createAgentBot,
  logLines,
  postEvent,
  pull,
  sendEvent,
  signedHeaders,
  taskEventTypes,
  taskRow,
  type Agent,
} from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;
let t: Tenant;

const cacheExpiry = () => new Promise((r) => setTimeout(r, AGENT_CACHE_MS + 100));
const logEvent = (message: string) => ({ type: "TASK_LOG", data: { level: "info", message } });

beforeAll(async () => {
  lane = await startFastLane();
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await closeDatabase();
});

describe("signatures", () => {
  let agent: Agent;
  beforeAll(async () => {
    agent = await createAgentBot(t);
  });

  it("accepts a signed event and has persisted it when it answers", async () => {
    const res = await sendEvent(lane.url, agent, logEvent("hello from the agent"));
    expect(res).toEqual({ status: 200, json: { received: true, duplicate: false } });
    const lines = await logLines(t.workspaceId, agent.botId);
    expect(lines.map((l) => [l.level, l.message])).toEqual([["info", "hello from the agent"]]);
  });

  it("acknowledges a replayed webhook-id without applying it again", async () => {
    const before = (await logLines(t.workspaceId, agent.botId)).length;
    const body = JSON.stringify(logEvent("once only"));
    const headers = signedHeaders(agent.secret, body, { id: "msg_replayed" });
    expect((await postEvent(lane.url, agent.botId, body, headers)).json).toMatchObject({
      duplicate: false,
    });
    const replay = await postEvent(lane.url, agent.botId, body, headers);
    expect(replay).toEqual({ status: 200, json: { received: true, duplicate: true } });
    expect((await logLines(t.workspaceId, agent.botId)).length).toBe(before + 1);
  });

  it("refuses bad, expired, future and missing signatures with 401 and no change", async () => {
    const before = (await logLines(t.workspaceId, agent.botId)).length;
    const body = JSON.stringify(logEvent("forged"));
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string>[] = [
      signedHeaders(`whsec_${Buffer.alloc(32, 7).toString("base64")}`, body),
      { ...signedHeaders(agent.secret, body), "webhook-signature": "v1,AAAA" },
      // Past the 300 s window either way, with margin for the clock ticking meanwhile.
      signedHeaders(agent.secret, body, { timestamp: now - 310 }),
      signedHeaders(agent.secret, body, { timestamp: now + 310 }),
      { "content-type": "application/json" },
    ];
    for (const headers of cases) {
      const res = await postEvent(lane.url, agent.botId, body, headers);
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    // A body changed after signing.
    const headers = signedHeaders(agent.secret, body);
    const tampered = await postEvent(
      lane.url,
      agent.botId,
      body.replace("forged", "forgeD"),
      headers,
    );
    expect(tampered.status).toBe(401);
    expect((await logLines(t.workspaceId, agent.botId)).length).toBe(before);
  });

  it("answers 400 for a signed body that is not a known event, and changes nothing", async () => {
    const res = await sendEvent(lane.url, agent, { type: "SOMETHING_ELSE", data: {} });
    expect(res.status).toBe(400);
  });
});

describe("the IP allowlist", () => {
  it("refuses events and the agent API from other addresses with 403", async () => {
    const agent = await createAgentBot(t);
    await callerFor(t).bots.updateAgentSettings({
      id: agent.botId,
      ipAllowlist: ["10.0.0.0/8"],
      eventWindowSeconds: 300,
      leaseSeconds: 60,
    });
    const before = (await logLines(t.workspaceId, agent.botId)).length;
    const refused = await sendEvent(lane.url, agent, logEvent("from loopback"));
    expect(refused.status).toBe(403);
    expect((await agentCall(lane.url, agent, "/pull")).status).toBe(403);
    expect((await logLines(t.workspaceId, agent.botId)).length).toBe(before);

    await callerFor(t).bots.updateAgentSettings({
      id: agent.botId,
      ipAllowlist: ["127.0.0.1", "::1"],
      eventWindowSeconds: 300,
      leaseSeconds: 60,
    });
    await cacheExpiry();
    expect((await sendEvent(lane.url, agent, logEvent("allowed"))).status).toBe(200);
  });
});

describe("secret rotation", () => {
  it("keeps the old secret working through the overlap, and revokes it within seconds", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    const { secret: second } = await api.bots.rotateSecret({
      id: agent.botId,
      overlapSeconds: 3600,
    });
    await cacheExpiry();
    const old = agent;
    const next = { ...agent, secret: second! };
    expect((await sendEvent(lane.url, old, logEvent("old secret"))).status).toBe(200);
    expect((await sendEvent(lane.url, next, logEvent("new secret"))).status).toBe(200);
    expect((await agentCall(lane.url, old, "/pull")).status).toBe(200);

    // No overlap this time: every earlier secret stops.
    const { secret: third } = await api.bots.rotateSecret({ id: agent.botId, overlapSeconds: 0 });
    await cacheExpiry();
    expect((await sendEvent(lane.url, old, logEvent("old again"))).status).toBe(401);
    expect((await sendEvent(lane.url, next, logEvent("second again"))).status).toBe(401);
    expect((await agentCall(lane.url, next, "/pull")).status).toBe(401);
    expect(
      (await sendEvent(lane.url, { ...agent, secret: third! }, logEvent("third"))).status,
    ).toBe(200);
  });
});

describe("event types", () => {
  it("runs a task through started, progress, log and succeeded", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    await api.tasks.defineAction({ name: "say.hello", schema: { type: "object" } });
    const { task } = await api.tasks.create({ botId: agent.botId, action: "say.hello" });
    const { attempt } = (await pull(lane.url, agent))[0]!;
    const taskId = task.id;
    for (const event of [
      { type: "TASK_STARTED", data: { taskId, attempt } },
      { type: "TASK_PROGRESS", data: { taskId, attempt, progress: 50, message: "halfway" } },
      { type: "TASK_LOG", data: { taskId, level: "warn", message: "slow page" } },
      { type: "TASK_SUCCEEDED", data: { taskId, attempt, output: { greeted: 1 } } },
    ]) {
      expect((await sendEvent(lane.url, agent, event)).status).toBe(200);
    }
    const row = await taskRow(t.workspaceId, taskId);
    expect(row).toMatchObject({ status: "SUCCEEDED", result: { output: { greeted: 1 } } });
    expect(row.startedAt).not.toBeNull();
    expect(await taskEventTypes(t.workspaceId, taskId)).toEqual([
      "created",
      "leased",
      "started",
      "progress",
      "succeeded",
    ]);
    const lines = await logLines(t.workspaceId, agent.botId);
    expect(lines.at(-1)).toMatchObject({ taskId, level: "warn", message: "slow page" });
    const { events } = await api.tasks.get({ id: taskId });
    expect(events.map((e) => e.type)).toContain("progress");
  });

  it("a STOP reply opts the phone out through the suppression list", async () => {
    const agent = await createAgentBot(t);
    const phone = "+595981777001";
    const res = await sendEvent(lane.url, agent, {
      type: "MESSAGE_RECEIVED",
      data: { from: phone, text: "Baja" },
    });
    expect(res.status).toBe(200);
    const rows = await systemDb()
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.workspaceId, t.workspaceId), eq(suppressions.phone, phone)));
    expect(rows).toHaveLength(1);
  });

  it("a heartbeat marks the bot seen, and the workspace is notified at once", async () => {
    const agent = await createAgentBot(t);
    expect((await callerFor(t).bots.get({ id: agent.botId })).lastSeenAt).toBeNull();
    const notified = nextNotification("bot_activity", t.workspaceId, 1000).then(() => Date.now());
    await new Promise((r) => setTimeout(r, 100)); // LISTEN is up
    const sentAt = Date.now();
    expect((await sendEvent(lane.url, agent, { type: "HEARTBEAT", data: {} })).status).toBe(200);
    expect((await notified) - sentAt).toBeLessThan(1000);
    const bot = await callerFor(t).bots.get({ id: agent.botId });
    expect(bot.lastSeenAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });
});

describe("the Logs page's procedures", () => {
  it("searches history by words and level, and streams new lines within a second", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    for (const [level, message] of [
      ["info", "abrió el chat de Ana"],
      ["error", "no encontró el botón enviar"],
      ["info", "mensaje enviado a Ana"],
    ] as const) {
      await sendEvent(lane.url, agent, { type: "TASK_LOG", data: { level, message } });
    }
    const byWord = await api.logs.list({ botId: agent.botId, q: "Ana", limit: 10 });
    expect(byWord.rows.map((r) => r.message)).toEqual([
      "mensaje enviado a Ana",
      "abrió el chat de Ana",
    ]);
    const errors = await api.logs.list({ botId: agent.botId, levels: ["error"], limit: 10 });
    expect(errors.rows.map((r) => r.message)).toEqual(["no encontró el botón enviar"]);
    const firstPage = await api.logs.list({ botId: agent.botId, limit: 2 });
    const secondPage = await api.logs.list({
      botId: agent.botId,
      limit: 2,
      cursor: firstPage.nextCursor!,
    });
    expect(secondPage.rows.map((r) => r.message)).toEqual(["abrió el chat de Ana"]);
    expect(secondPage.nextCursor).toBeNull();

    const stream = await api.logs.stream({ botId: agent.botId });
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 200)); // subscribed
    const sentAt = Date.now();
    await sendEvent(lane.url, agent, { type: "TASK_LOG", data: { message: "en vivo" } });
    const { value } = await next;
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect((value as { message: string }[]).map((l) => l.message)).toEqual(["en vivo"]);
    await iterator.return?.(undefined);
  });
});
