/**
 * Signed `TASK_LOG` events arriving together are written in groups (modules/tasks/
 * log-events-batch.ts), on the real fast lane: each is acknowledged only once persisted, a
 * `webhook-id` repeated inside one burst is applied once, and an event that cannot be written
 * fails alone, not the neighbours it was grouped with.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLogEvent } from "@/modules/tasks/log-events-batch";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot, logLines, postEvent, signedHeaders, type Agent } from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;
let t: Tenant;

const logBody = (message: string) => JSON.stringify({ type: "TASK_LOG", data: { message } });

function post(agent: Agent, body: string, id?: string) {
  return postEvent(lane.url, agent.botId, body, signedHeaders(agent.secret, body, { id }));
}

beforeAll(async () => {
  lane = await startFastLane();
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await stopBoss(1_000);
  await closeDatabase();
});

describe("log events in a burst", () => {
  it("persists every acknowledged line once, from several bots of one workspace", async () => {
    const agents = [await createAgentBot(t), await createAgentBot(t)];
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post(agents[i % 2]!, logBody(`line ${i}`))),
    );
    expect(answers.every((a) => a.status === 200 && a.json.duplicate === false)).toBe(true);
    for (const [k, agent] of agents.entries()) {
      const lines = await logLines(t.workspaceId, agent.botId);
      expect(lines.map((l) => l.message).sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `line ${2 * i + k}`).sort(),
      );
    }
  });

  it("applies a webhook-id repeated within one burst once", async () => {
    const agent = await createAgentBot(t);
    const body = logBody("said five times");
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(agent, body, "msg_burst_replay")),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.json.duplicate === false)).toHaveLength(1);
    expect((await logLines(t.workspaceId, agent.botId)).map((l) => l.message)).toEqual([
      "said five times",
    ]);
  });

  it("applies a webhook-id repeated within one group once", async () => {
    const agent = await createAgentBot(t);
    const line = { level: "info" as const, message: "one group", taskId: null, context: null };
    const event = (webhookId: string) => ({ botId: agent.botId, webhookId, line });
    // The first starts a transaction; the five queued behind it are written as one group.
    const results = await Promise.all([
      writeLogEvent(t.workspaceId, event("msg_group_first")),
      ...Array.from({ length: 5 }, () => writeLogEvent(t.workspaceId, event("msg_group_same"))),
    ]);
    expect(results).toEqual([false, false, true, true, true, true]);
    expect(await logLines(t.workspaceId, agent.botId)).toHaveLength(2);
  });

  it("fails only the event that cannot be written, not its group", async () => {
    const agent = await createAgentBot(t);
    // PostgreSQL text cannot hold NUL: this line's INSERT fails, so would its group's.
    const bad = logBody("nul \u0000 here");
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => post(agent, logBody(`good ${i}`))),
      post(agent, bad),
      ...Array.from({ length: 20 }, (_, i) => post(agent, logBody(`good ${20 + i}`))),
    ]);
    expect(answers[20]!.status).toBeGreaterThanOrEqual(400);
    const good = answers.filter((_, i) => i !== 20);
    expect(good.every((a) => a.status === 200)).toBe(true);
    const lines = await logLines(t.workspaceId, agent.botId);
    expect(lines).toHaveLength(40);
  });
});
