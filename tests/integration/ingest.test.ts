/**
 * The ingest role (`npm run ingest`, docs/deploy.md): a process of its own serving only the
 * fast lane. It is started here as the image would start it, with a module hook that makes
 * any import of Next (or next-auth / next-intl) throw, so a start-up proves Next is not in
 * its module graph. Against it: a signed bot event and an agent pull work, a page path is a
 * JSON 404, a revoked secret stops working within seconds in that process's own cache, and
 * SIGTERM on the idle process ends it well within the drain deadline.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_CACHE_MS } from "@/modules/bots/agents.service";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { agentCall, createAgentBot, logLines, pull, sendEvent, type Agent } from "./agents-helpers";

const FORBIDDEN = /^(next|next-auth|next-intl)(\/|$)/;
/** Preloaded into the ingest process: requiring or importing Next fails its start. */
const NO_NEXT = `data:text/javascript,${encodeURIComponent(`
import Module, { register } from "node:module";
const forbidden = ${FORBIDDEN};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (forbidden.test(request)) throw new Error("the ingest process loaded " + request);
  return resolveFilename.call(this, request, ...rest);
};
register("data:text/javascript," + encodeURIComponent(
  "export async function resolve(s, c, next) {" +
  " if (" + forbidden + ".test(s)) throw new Error('the ingest process loaded ' + s);" +
  " return next(s, c); }"));
`)}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let child: ChildProcess;
let exited: Promise<[number | null, NodeJS.Signals | null]>;
let output = "";
let base: string;
let t: Tenant;
let agent: Agent;

beforeAll(async () => {
  t = await freshTenant();
  agent = await createAgentBot(t);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", NO_NEXT, "src/server/main.ts", "--ingest"],
    {
      cwd: path.resolve("."),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        METRICS_LISTEN: "off",
        DATABASE_APP_URL: "",
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "info",
      },
    },
  );
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  exited = once(child, "exit") as typeof exited;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the ingest process did not start:\n${output.slice(-3000)}`);
    }
    await sleep(50);
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await stopBoss(1_000);
  await closeDatabase();
});

describe("an ingest process", () => {
  it("starts without Next and answers only the fast lane", async () => {
    expect(output).not.toContain("the ingest process loaded");
    for (const page of ["/", "/contacts", "/api/trpc/contacts.list"]) {
      const res = await fetch(`${base}${page}`);
      expect(res.status, page).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("accepts a signed bot event, persisted before the answer", async () => {
    const res = await sendEvent(base, agent, {
      type: "TASK_LOG",
      data: { level: "info", message: "through ingest" },
    });
    expect(res).toEqual({ status: 200, json: { received: true, duplicate: false } });
    const lines = await logLines(t.workspaceId, agent.botId);
    expect(lines.map((l) => l.message)).toContain("through ingest");
  });

  it("leases a task to an agent pull", async () => {
    const api = callerFor(t);
    await api.tasks.defineAction({
      name: "ingest.check",
      schema: { type: "object", properties: {} },
    });
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "ingest.check",
      payload: {},
    });
    const tasks = await pull(base, agent, 5);
    expect(tasks.map((x) => x.id)).toEqual([task.id]);
  });

  it("stops accepting a revoked secret within seconds (its own credential cache)", async () => {
    // Cached in the ingest process by the calls above.
    expect((await agentCall(base, agent, "/pull")).status).toBe(200);
    await callerFor(t).bots.rotateSecret({ id: agent.botId, overlapSeconds: 0 });
    const t0 = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - t0 < AGENT_CACHE_MS + 5_000) {
      await sleep(100);
      status = (await agentCall(base, agent, "/pull")).status;
    }
    expect(status).toBe(401);
    expect(Date.now() - t0).toBeLessThan(AGENT_CACHE_MS + 1_500);
    const event = await sendEvent(base, agent, { type: "HEARTBEAT", data: {} });
    expect(event.status).toBe(401);
  });

  it("exits 0 soon after SIGTERM when idle", async () => {
    const t0 = Date.now();
    child.kill("SIGTERM");
    const timeout = sleep(20_000).then(() => "timeout" as const);
    const result = await Promise.race([exited, timeout]);
    const ms = Date.now() - t0;
    if (result === "timeout")
      throw new Error(`still running after SIGTERM:\n${output.slice(-3000)}`);
    expect(result[0], output.slice(-3000)).toBe(0);
    // The default drain deadline is 20 s: an idle process must not sit it out.
    expect(ms).toBeLessThan(10_000);
  }, 30_000);
});
