/**
 * Agent bots pulling tasks over the fast lane (real Postgres): lease atomicity, concurrency
 * across workers, result idempotency, lease-expiry requeue by the cron job's handler,
 * per-attempt timeout, cancel (audited) and the settle hook.
 */
import { sweepTaskLeases } from "@jobs/tasks/lease-sweep.job";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { onTaskSettled, type SettledTask } from "@/modules/tasks/settle-hooks";
import { createSendTasks } from "@/modules/tasks/tasks.service";
import { botTasks } from "@/modules/tasks/tasks.table";
import { withTenant } from "@/server/db/tenant";
import { closeDatabase, systemDb } from "@/server/db/client";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import {
  agentCall,
  ageLease,
  createAgentBot,
  pull,
  taskEventTypes,
  taskRow,
  type Agent,
} from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;
let t: Tenant;

beforeAll(async () => {
  lane = await startFastLane();
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await closeDatabase();
});

/** The cron job's handler, as pg-boss would run it. */
const sweep = () =>
  sweepTaskLeases.handle({
    id: "test",
    retryCount: 0,
    signal: new AbortController().signal,
    data: {},
  });

/** Skips a retry's backoff. */
const makeDue = (id: string) =>
  systemDb()
    .update(botTasks)
    .set({ scheduledFor: new Date(Date.now() - 1000) })
    .where(eq(botTasks.id, id));

async function createTasks(agent: Agent, n: number, extra: Record<string, unknown> = {}) {
  const api = callerFor(t);
  await api.tasks.defineAction({
    name: "visit.page",
    schema: { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "visit.page",
      payload: { url: `https://example.test/${i}` },
      ...extra,
    });
    ids.push(task.id);
  }
  return ids;
}

describe("creating tasks", () => {
  it("validates the payload against the action's schema and dedupes by idempotency key", async () => {
    const agent = await createAgentBot(t);
    expect(agent.secret).toMatch(/^whsec_/);
    const api = callerFor(t);
    await createTasks(agent, 0);
    await expect(
      api.tasks.create({ botId: agent.botId, action: "visit.page", payload: { url: 3 } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.tasks.create({ botId: agent.botId, action: "nope.nope", payload: {} }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const spec = {
      botId: agent.botId,
      action: "visit.page",
      payload: { url: "https://example.test" },
      idempotencyKey: "once",
    };
    const first = await api.tasks.create(spec);
    const second = await api.tasks.create(spec);
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, task: { id: first.task.id } });
  });
});

describe("pulling", () => {
  it("never leases one task to two concurrent pulls", async () => {
    const agent = await createAgentBot(t, { concurrency: 64 });
    const ids = await createTasks(agent, 30);
    const batches = await Promise.all(
      Array.from({ length: 4 }, (_, i) => pull(lane.url, agent, 10, `w${i}`)),
    );
    const leased = batches.flat().map((task) => task.id);
    expect(new Set(leased).size).toBe(leased.length);
    expect(leased.length).toBe(30);
    expect(new Set(leased)).toEqual(new Set(ids));
  });

  it("holds concurrency 1 across two workers, and leases priority first", async () => {
    const agent = await createAgentBot(t, { concurrency: 1 });
    const [low] = await createTasks(agent, 1);
    const [high] = await createTasks(agent, 1, { priority: 5 });
    const [a, b] = await Promise.all([
      pull(lane.url, agent, 5, "w1"),
      pull(lane.url, agent, 5, "w2"),
    ]);
    const got = [...a!, ...b!];
    expect(got.map((task) => task.id)).toEqual([high]);
    expect(await pull(lane.url, agent, 5, "w2")).toEqual([]);

    const done = await agentCall(lane.url, agent, `/tasks/${high}/result`, {
      ok: true,
      attempt: 1,
    });
    expect(done).toMatchObject({ status: 200, json: { status: "SUCCEEDED", changed: true } });
    expect((await pull(lane.url, agent, 5, "w1")).map((task) => task.id)).toEqual([low]);
  });

  it("refuses a wrong secret and an unknown bot alike", async () => {
    const agent = await createAgentBot(t);
    const wrong = await agentCall(lane.url, { ...agent, secret: "whsec_AAAA" }, "/pull");
    const unknown = await agentCall(
      lane.url,
      { ...agent, botId: "00000000-0000-4000-8000-000000000000" },
      "/pull",
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });
});

describe("results", () => {
  it("are idempotent: a repeated result changes nothing", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    await pull(lane.url, agent);
    const first = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: true,
      attempt: 1,
      providerMessageId: "pm-1",
    });
    const before = await taskRow(t.workspaceId, id!);
    const again = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: false,
      attempt: 1,
      error: "late",
    });
    expect(first.json).toMatchObject({ status: "SUCCEEDED", changed: true });
    expect(again).toMatchObject({ status: 200, json: { status: "SUCCEEDED", changed: false } });
    expect(await taskRow(t.workspaceId, id!)).toEqual(before);
    expect(before.result).toEqual({ providerMessageId: "pm-1" });
    expect(await taskEventTypes(t.workspaceId, id!)).toEqual(["created", "leased", "succeeded"]);
  });

  it("a failure retries with backoff until the attempts run out", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1, { maxAttempts: 2 });
    await pull(lane.url, agent);
    const failed = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: false,
      attempt: 1,
      error: "busy",
    });
    expect(failed.json).toMatchObject({ status: "PENDING", attempts: 1 });
    const row = await taskRow(t.workspaceId, id!);
    expect(row.scheduledFor.getTime()).toBeGreaterThan(Date.now() + 2_000);
    expect(await pull(lane.url, agent)).toEqual([]); // not due yet

    await makeDue(id!);
    expect((await pull(lane.url, agent)).map((task) => task.attempt)).toEqual([2]);
    const final = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: false,
      attempt: 2,
      error: "busy",
    });
    expect(final.json).toMatchObject({ status: "FAILED", attempts: 2 });
  });
});

describe("lease expiry and timeouts", () => {
  it("requeues an expired lease (attempt counted), then times out after max attempts", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1, { maxAttempts: 2 });
    await pull(lane.url, agent);
    await ageLease(t.workspaceId, id!, { leaseMs: 1000 });
    await sweep();
    let row = await taskRow(t.workspaceId, id!);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, error: "lease_expired" });

    // Due again (skip the backoff), leased, expired again: the last attempt → TIMED_OUT.
    await makeDue(id!);
    await pull(lane.url, agent);
    await ageLease(t.workspaceId, id!, { leaseMs: 1000 });
    await sweep();
    row = await taskRow(t.workspaceId, id!);
    expect(row).toMatchObject({ status: "TIMED_OUT", attempts: 2, error: "lease_expired" });
    expect(await taskEventTypes(t.workspaceId, id!)).toEqual([
      "created",
      "leased",
      "requeued",
      "leased",
      "timed_out",
    ]);
    const late = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt: 2 });
    expect(late).toMatchObject({
      status: 409,
      json: { error: { key: "task.leaseLost", params: { status: "TIMED_OUT" } } },
    });
  });

  it("ends an attempt past its timeout even while the agent heartbeats", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1, { maxAttempts: 1, timeoutSeconds: 1 });
    await pull(lane.url, agent);
    await new Promise((r) => setTimeout(r, 1_200));
    const beat = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt: 1 });
    expect(beat.status).toBe(200);
    await sweep();
    expect(await taskRow(t.workspaceId, id!)).toMatchObject({
      status: "TIMED_OUT",
      error: "timeout",
    });
  });
});

describe("cancel and the settle hook", () => {
  it("cancels an in-flight task (audited); the agent's late result changes nothing", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    await pull(lane.url, agent);
    await callerFor(t).tasks.cancel({ id: id! });
    const late = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: true,
      attempt: 1,
    });
    expect(late.json).toMatchObject({ status: "CANCELED", changed: false });
    const audit = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, t.workspaceId), eq(auditLogs.targetId, id!)));
    expect(audit.map((a) => a.action)).toEqual(["task.canceled"]);
  });

  it("runs the send_message hook once, in the settling transaction, with the provider id", async () => {
    const agent = await createAgentBot(t);
    const seen: SettledTask[] = [];
    const off = onTaskSettled("send_message", async (_tx, task) => {
      seen.push(task);
    });
    try {
      const recipientId = crypto.randomUUID();
      const send = {
        botId: agent.botId,
        campaignId: crypto.randomUUID(),
        recipientId,
        to: "+595981000111",
        text: "Hola",
      };
      const ids = await withTenant({ workspaceId: t.workspaceId }, (tx) =>
        createSendTasks({ tx, workspaceId: t.workspaceId, sends: [send, send] }),
      );
      expect(ids).toHaveLength(1);
      const again = await withTenant({ workspaceId: t.workspaceId }, (tx) =>
        createSendTasks({ tx, workspaceId: t.workspaceId, sends: [send] }),
      );
      expect(again).toEqual([]);
      const [task] = await pull(lane.url, agent);
      expect(task!.action).toBe("send_message");
      const { attempt } = task!;
      await agentCall(lane.url, agent, `/tasks/${task!.id}/result`, {
        ok: true,
        attempt,
        providerMessageId: "wamid.1",
      });
      await agentCall(lane.url, agent, `/tasks/${task!.id}/result`, { ok: true, attempt });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        status: "SUCCEEDED",
        payload: { recipientId },
        result: { providerMessageId: "wamid.1" },
      });
    } finally {
      off();
    }
  });
});

describe("tenant isolation", () => {
  it("keeps tasks and logs inside their workspace, for people and for agents", async () => {
    const other = await freshTenant();
    const theirs = await createAgentBot(other);
    await callerFor(other).tasks.defineAction({ name: "visit.page", schema: { type: "object" } });
    const { task } = await callerFor(other).tasks.create({
      botId: theirs.botId,
      action: "visit.page",
    });
    const mine = await createAgentBot(t);

    await expect(callerFor(t).tasks.get({ id: task.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const listed = await callerFor(t).tasks.list({ botId: theirs.botId, limit: 10 });
    expect(listed.rows).toEqual([]);
    await expect(callerFor(t).tasks.cancel({ id: task.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      callerFor(t).tasks.create({ botId: theirs.botId, action: "visit.page" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Another workspace's agent can neither lease nor settle it.
    expect(await pull(lane.url, mine, 10)).toEqual([]);
    const foreign = await agentCall(lane.url, mine, `/tasks/${task.id}/result`, {
      ok: true,
      attempt: 1,
    });
    expect(foreign.status).toBe(404);
    expect(await taskRow(other.workspaceId, task.id)).toMatchObject({ status: "PENDING" });
    const logs = await callerFor(t).logs.list({ botId: theirs.botId, limit: 10 });
    expect(logs.rows).toEqual([]);
  });
});
