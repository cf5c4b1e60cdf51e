/**
 * A late call of an attempt that already ended must not act on the task's current attempt
 * (real Postgres, the fast lane): w1's lease lapses and the sweep requeues the task, w2 leases
 * it (attempt 2); w1's result, heartbeat and task events — which name attempt 1 — answer 409
 * and leave w2's attempt as it was, so no third worker can get the task while w2 works. A call
 * that names no attempt is refused alike. The current attempt's own calls are accepted.
 */
import { sweepTaskLeases } from "@jobs/tasks/lease-sweep.job";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botTasks } from "@/modules/tasks/tasks.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import {
  agentCall,
  ageLease,
  createAgentBot,
  pull,
  sendEvent,
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

const sweep = () =>
  sweepTaskLeases.handle({
    id: "test",
    retryCount: 0,
    signal: new AbortController().signal,
    data: {},
  });

async function createTask(agent: Agent): Promise<string> {
  const api = callerFor(t);
  await api.tasks.defineAction({ name: "visit.page", schema: { type: "object" } });
  const { task } = await api.tasks.create({
    botId: agent.botId,
    action: "visit.page",
    maxAttempts: 5,
  });
  return task.id;
}

/** The lease lapses, the sweep requeues the task and its backoff is skipped. */
async function lapse(id: string) {
  await ageLease(t.workspaceId, id, { leaseMs: 1000 });
  await sweep();
  expect(await taskRow(t.workspaceId, id)).toMatchObject({ status: "PENDING" });
  await systemDb()
    .update(botTasks)
    .set({ scheduledFor: new Date(Date.now() - 1000) })
    .where(eq(botTasks.id, id));
}

/** A lease a few seconds out, so a heartbeat that extended it would show. */
async function shortenLease(id: string): Promise<Date> {
  const [row] = await systemDb()
    .update(botTasks)
    .set({ leaseExpiresAt: new Date(Date.now() + 5_000) })
    .where(eq(botTasks.id, id))
    .returning();
  return row!.leaseExpiresAt!;
}

const attemptEnded = (attempt: number, current: number, status: string) => ({
  status: 409,
  json: {
    error: { code: "CONFLICT", key: "task.attemptEnded", params: { attempt, current, status } },
  },
});
const attemptMissing = { status: 409, json: { error: { key: "task.attemptMissing" } } };

describe("a call of an attempt that already ended", () => {
  it("is refused (409) and leaves the current attempt untouched; the current one settles", async () => {
    const agent = await createAgentBot(t, { concurrency: 3 });
    const id = await createTask(agent);
    expect((await pull(lane.url, agent, 1, "w1")).map((x) => x.attempt)).toEqual([1]);
    await lapse(id);
    expect((await pull(lane.url, agent, 1, "w2")).map((x) => x.attempt)).toEqual([2]);
    const current = await taskRow(t.workspaceId, id);
    expect(current).toMatchObject({ status: "LEASED", attempts: 2, leaseOwner: "w2" });

    // w1's late results, whatever they say, end nothing.
    for (const body of [
      { ok: false, error: "stale" },
      { ok: false, error: "stale", retryable: false },
      { ok: true, providerMessageId: "stale" },
    ]) {
      const late = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
        ...body,
        attempt: 1,
      });
      expect(late).toMatchObject(attemptEnded(1, 2, "LEASED"));
      const missing = await agentCall(lane.url, agent, `/tasks/${id}/result`, body);
      expect(missing).toMatchObject(attemptMissing);
    }
    // Signed events of attempt 1 (or of no attempt) are refused too.
    for (const event of [
      { type: "TASK_STARTED", data: { taskId: id } },
      { type: "TASK_PROGRESS", data: { taskId: id, progress: 10 } },
      { type: "TASK_FAILED", data: { taskId: id, error: "stale", retryable: false } },
      { type: "TASK_SUCCEEDED", data: { taskId: id } },
    ]) {
      const stale = await sendEvent(lane.url, agent, {
        ...event,
        data: { ...event.data, attempt: 1 },
      });
      expect(stale, event.type).toMatchObject(attemptEnded(1, 2, "LEASED"));
      expect(await sendEvent(lane.url, agent, event), event.type).toMatchObject(attemptMissing);
    }
    expect(await taskRow(t.workspaceId, id)).toEqual(current);
    // Still w2's: nobody else gets the task while it works.
    expect(await pull(lane.url, agent, 1, "w3")).toEqual([]);

    // w2's own calls are accepted.
    const beat = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt: 2 });
    expect(beat).toMatchObject({ status: 200, json: { status: "LEASED" } });
    const started = await sendEvent(lane.url, agent, {
      type: "TASK_STARTED",
      data: { taskId: id, attempt: 2 },
    });
    expect(started.status).toBe(200);
    const done = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: true,
      attempt: 2,
      providerMessageId: "pm-2",
    });
    expect(done).toMatchObject({
      status: 200,
      json: { status: "SUCCEEDED", attempts: 2, changed: true },
    });
    const again = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: false,
      attempt: 2,
      error: "late",
    });
    expect(again).toMatchObject({ status: 200, json: { status: "SUCCEEDED", changed: false } });
    // Once it ended, attempt 1 is still not the task's: 409, not `changed: false`.
    const late = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: false,
      attempt: 1,
      error: "stale",
    });
    expect(late).toMatchObject(attemptEnded(1, 2, "SUCCEEDED"));

    expect(await taskRow(t.workspaceId, id)).toMatchObject({
      status: "SUCCEEDED",
      attempts: 2,
      result: { providerMessageId: "pm-2" },
    });
    expect(await taskEventTypes(t.workspaceId, id)).toEqual([
      "created",
      "leased",
      "requeued",
      "leased",
      "started",
      "succeeded",
    ]);
  });

  it("a stale heartbeat is refused (409) and does not extend the current lease", async () => {
    const agent = await createAgentBot(t, { concurrency: 3 });
    const id = await createTask(agent);
    await pull(lane.url, agent, 1, "w1");
    await lapse(id);
    await pull(lane.url, agent, 1, "w2");
    await lapse(id);
    expect((await pull(lane.url, agent, 1, "w3")).map((x) => x.attempt)).toEqual([3]);
    const leaseExpiresAt = await shortenLease(id);

    for (const attempt of [1, 2]) {
      const beat = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt });
      expect(beat).toMatchObject(attemptEnded(attempt, 3, "LEASED"));
      const progress = await sendEvent(lane.url, agent, {
        type: "TASK_PROGRESS",
        data: { taskId: id, attempt, progress: 50 },
      });
      expect(progress).toMatchObject(attemptEnded(attempt, 3, "LEASED"));
    }
    expect(await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`)).toMatchObject(
      attemptMissing,
    );
    expect(await taskRow(t.workspaceId, id)).toMatchObject({
      status: "LEASED",
      attempts: 3,
      leaseOwner: "w3",
      leaseExpiresAt,
    });

    // w3's heartbeat extends it.
    const beat = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt: 3 });
    expect(beat.status).toBe(200);
    const row = await taskRow(t.workspaceId, id);
    expect(row.leaseExpiresAt!.getTime()).toBeGreaterThan(leaseExpiresAt.getTime() + 30_000);
  });

  it("the requeued attempt's own late calls are refused while the task waits to be leased", async () => {
    const agent = await createAgentBot(t);
    const id = await createTask(agent);
    await pull(lane.url, agent, 1, "w1");
    await lapse(id);
    const waiting = await taskRow(t.workspaceId, id);
    const beat = await agentCall(lane.url, agent, `/tasks/${id}/heartbeat`, { attempt: 1 });
    expect(beat).toMatchObject({
      status: 409,
      json: { error: { key: "task.leaseLost", params: { status: "PENDING" } } },
    });
    const late = await agentCall(lane.url, agent, `/tasks/${id}/result`, {
      ok: true,
      attempt: 1,
    });
    expect(late).toMatchObject({ status: 409, json: { error: { key: "task.leaseLost" } } });
    expect(await taskRow(t.workspaceId, id)).toEqual(waiting);
  });

  it("an attempt that is not a positive integer is a 400", async () => {
    const agent = await createAgentBot(t);
    const id = await createTask(agent);
    await pull(lane.url, agent, 1, "w1");
    for (const attempt of [0, 1.5, "1"]) {
      const res = await agentCall(lane.url, agent, `/tasks/${id}/result`, { ok: true, attempt });
      expect(res.status).toBe(400);
    }
    expect(await taskRow(t.workspaceId, id)).toMatchObject({ status: "LEASED", attempts: 1 });
  });
});
