/**
 * Both SDKs against the real fast lane: the TypeScript client's runAgent loop takes tasks to
 * SUCCEEDED with their logs; the Python SDK signs an event the server accepts, and its own
 * unittest suite passes (`python3 -m unittest` in sdk/python).
 */
import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepTaskLeases } from "@jobs/tasks/lease-sweep.job";
import { eq } from "drizzle-orm";
import { botTasks } from "@/modules/tasks/tasks.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createClient } from "../../sdk/typescript/src/index";
import { callerFor, waitUntil } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { ageLease, createAgentBot, logLines, taskEventTypes, taskRow } from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

const PYTHON_SDK = path.resolve(__dirname, "../../sdk/python");

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

describe("TypeScript SDK", () => {
  it("runs tasks to SUCCEEDED through runAgent, with their log lines and timeline", async () => {
    const agent = await createAgentBot(t, { concurrency: 2 });
    const api = callerFor(t);
    await api.tasks.defineAction({ name: "demo.echo", schema: { type: "object" } });
    const ids = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const { task } = await api.tasks.create({
          botId: agent.botId,
          action: "demo.echo",
          payload: { n },
        });
        return task.id;
      }),
    );
    const client = createClient({ ...agent, baseUrl: lane.url });
    const stop = new AbortController();
    const loop = client.runAgent(
      async (task, ctx) => {
        await ctx.log(`echo ${String(task.payload.n)}`);
        if (task.payload.n === 3)
          throw Object.assign(new Error("no"), { code: "nope", retryable: false });
        return { output: { echoed: task.payload.n as number } };
      },
      { signal: stop.signal, concurrency: 2, idleMs: 50, maxIdleMs: 200 },
    );
    try {
      await waitUntil("tasks settled", async () => {
        const rows = await Promise.all(ids.map((id) => taskRow(t.workspaceId, id)));
        return rows.every((r) => r.status === "SUCCEEDED" || r.status === "FAILED") && rows;
      });
    } finally {
      stop.abort();
      await loop;
    }
    const rows = await Promise.all(ids.map((id) => taskRow(t.workspaceId, id)));
    expect(rows.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "FAILED"]);
    expect(rows[0]!.result).toEqual({ output: { echoed: 1 } });
    expect(rows[2]).toMatchObject({ error: "nope", attempts: 1 });
    expect(await taskEventTypes(t.workspaceId, ids[0]!)).toEqual([
      "created",
      "leased",
      "started",
      "succeeded",
    ]);
    const messages = (await logLines(t.workspaceId, agent.botId)).map((l) => l.message).sort();
    expect(messages).toEqual(["echo 1", "echo 2", "echo 3"]);
    expect((await api.bots.get({ id: agent.botId })).lastSeenAt).not.toBeNull();
  });
});

describe("TypeScript SDK after losing the lease", () => {
  it("names the attempt on every call, and reports nothing once that attempt is over", async () => {
    const agent = await createAgentBot(t, { concurrency: 2 });
    const api = callerFor(t);
    await api.tasks.defineAction({ name: "demo.slow", schema: { type: "object" } });
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "demo.slow",
      maxAttempts: 5,
    });
    const bodies: { path: string; body: Record<string, unknown> }[] = [];
    const doFetch: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      bodies.push({ path: url.pathname, body: JSON.parse(String(init?.body ?? "{}")) });
      return fetch(input, init);
    };
    const client = createClient({ ...agent, baseUrl: lane.url, fetch: doFetch });
    const stop = new AbortController();
    let finished = false;
    const loop = client.runAgent(
      async (_task, ctx) => {
        // Works until told to stop, then finishes anyway: nothing may be reported.
        await new Promise((r) => ctx.signal.addEventListener("abort", r, { once: true }));
        finished = true;
        return { providerMessageId: "late" };
      },
      { signal: stop.signal, idleMs: 50, maxIdleMs: 200, heartbeatMs: 100, worker: "w1" },
    );
    try {
      await waitUntil("the task running", async () => {
        return (await taskRow(t.workspaceId, task.id)).status === "RUNNING";
      });
      // w1's lease lapses, the sweep requeues the task and w2 leases it (attempt 2).
      await ageLease(t.workspaceId, task.id, { leaseMs: 1000 });
      await sweepTaskLeases.handle({
        id: "test",
        retryCount: 0,
        signal: new AbortController().signal,
        data: {},
      });
      await systemDb()
        .update(botTasks)
        .set({ scheduledFor: new Date(Date.now() - 1000) })
        .where(eq(botTasks.id, task.id));
      const other = createClient({ ...agent, baseUrl: lane.url });
      const { tasks } = await other.pull({ worker: "w2" });
      expect(tasks.map((x) => x.attempt)).toEqual([2]);
      // w1's next heartbeat (attempt 1) is refused: its handler's signal aborts.
      await waitUntil("w1's handler to finish", async () => finished);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop.abort();
      await loop;
    }
    expect(bodies.some((b) => b.path.endsWith("/result"))).toBe(false);
    const beats = bodies.filter((b) => b.path.endsWith("/heartbeat")).map((b) => b.body);
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every((b) => b.attempt === 1)).toBe(true);
    expect(await taskRow(t.workspaceId, task.id)).toMatchObject({
      status: "LEASED",
      attempts: 2,
      leaseOwner: "w2",
    });
    const started = bodies.find(
      (b) => b.path.startsWith("/api/webhooks/") && b.body.type === "TASK_STARTED",
    );
    expect(started?.body.data).toEqual({ taskId: task.id, attempt: 1 });
  });
});

/** Runs python3 without blocking this process (the fast lane it calls lives here). */
function python(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("python3", args, { cwd: PYTHON_SDK, timeout: 15_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? ((err.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("Python SDK", () => {
  it("signs events the server verifies", async () => {
    const agent = await createAgentBot(t);
    const script = [
      "import json, sys",
      "from salestrack_agent import create_client",
      "c = create_client(sys.argv[1], sys.argv[2], sys.argv[3])",
      "print(json.dumps(c.log('hola desde python', level='warn', context={'lang': 'py'})))",
    ].join("\n");
    const run = await python(["-c", script, agent.botId, agent.secret, lane.url]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ received: true, duplicate: false });
    const [line] = await logLines(t.workspaceId, agent.botId);
    expect(line).toMatchObject({
      level: "warn",
      message: "hola desde python",
      context: { lang: "py" },
    });

    const forged = await python(["-c", script, agent.botId, `whsec_${"A".repeat(43)}=`, lane.url]);
    expect(forged.status).not.toBe(0);
    expect(forged.stderr).toMatch(/SalesTrackError/);
  });

  it("passes its own unittest suite", () => {
    const run = spawnSync("python3", ["-m", "unittest"], {
      cwd: PYTHON_SDK,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    expect(run.stderr).toMatch(/\nOK\s*$/);
    expect(run.status).toBe(0);
  });
});
