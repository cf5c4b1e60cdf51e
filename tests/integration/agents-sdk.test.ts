/**
 * Both SDKs against the real fast lane: the TypeScript client's runAgent loop takes tasks to
 * SUCCEEDED with their logs; the Python SDK signs an event the server accepts, and its own
 * unittest suite passes (`python3 -m unittest` in sdk/python).
 */
import { execFile, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { createClient } from "../../sdk/typescript/src/index";
import { callerFor, waitUntil } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot, logLines, taskEventTypes, taskRow } from "./agents-helpers";
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
