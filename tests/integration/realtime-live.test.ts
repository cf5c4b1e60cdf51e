/**
 * Live views on real Postgres: agent pulls and results announce themselves after their
 * commit (a listener woken by them already reads the new state), and many Logs-page streams
 * with the same filters, sharing reads, each get every line once and in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { nextNotification } from "@/server/realtime/notifications";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { agentCall, createAgentBot, pull, sendEvent, taskRow } from "./agents-helpers";
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

/** Resolves with the task's status as read when the workspace's next notification arrives. */
async function statusWhenNotified(taskId: string): Promise<{ status: string; ms: number }> {
  const started = Date.now();
  await nextNotification("bot_activity", t.workspaceId, 3000);
  const ms = Date.now() - started;
  return { status: (await taskRow(t.workspaceId, taskId)).status, ms };
}

describe("agent traffic and live views", () => {
  it("a pull and a result each wake the workspace's listeners, after their commit", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    await api.tasks.defineAction({ name: "visit.page", schema: { type: "object" } });
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "visit.page",
      payload: {},
    });
    await nextNotification("bot_activity", t.workspaceId, 300); // LISTEN is up, creation heard

    const leased = statusWhenNotified(task.id);
    const [pulled] = await pull(lane.url, agent, 1);
    expect(pulled!.id).toBe(task.id);
    expect(await leased).toMatchObject({ status: "LEASED", ms: expect.any(Number) });
    expect((await leased).ms).toBeLessThan(1000);

    // Past the throttle window of the pull's notification: the result is announced at once.
    await new Promise((r) => setTimeout(r, 250));
    const settled = statusWhenNotified(task.id);
    const res = await agentCall(lane.url, agent, `/tasks/${task.id}/result`, {
      ok: true,
      attempt: pulled!.attempt,
    });
    expect(res.status).toBe(200);
    expect(await settled).toMatchObject({ status: "SUCCEEDED" });
    expect((await settled).ms).toBeLessThan(1000);
  });

  it("many Logs-page streams with the same filters each get every line, once and in order", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    await sendEvent(lane.url, agent, { type: "TASK_LOG", data: { message: "antes" } });
    const iterators = await Promise.all(
      Array.from({ length: 12 }, async () =>
        (await api.logs.stream({ botId: agent.botId }))[Symbol.asyncIterator](),
      ),
    );
    const received = iterators.map(() => [] as string[]);
    const expected = Array.from({ length: 8 }, (_, i) => `línea ${i}`);
    const reading = iterators.map(async (it, i) => {
      while (received[i]!.length < expected.length) {
        const { value, done } = await it.next();
        if (done) break;
        received[i]!.push(...(value as { message: string }[]).map((l) => l.message));
      }
    });
    await new Promise((r) => setTimeout(r, 300)); // every stream is waiting
    for (const message of expected) {
      await sendEvent(lane.url, agent, { type: "TASK_LOG", data: { message } });
    }
    await Promise.race([
      Promise.all(reading),
      new Promise((_, reject) => setTimeout(() => reject(new Error("lines missing")), 8000)),
    ]);
    for (const lines of received) expect(lines).toEqual(expected);
    await Promise.all(iterators.map((it) => it.return?.(undefined)));
  });
});
