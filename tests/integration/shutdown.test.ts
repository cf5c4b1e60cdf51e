/**
 * SIGTERM stops a process gracefully, in time (docs/deploy.md, "Stopping and restarting"):
 * - the HTTP drain ends event streams at once, lets ordinary requests finish, closes idle
 *   keep-alive connections, and cuts what is left at the deadline;
 * - a worker process in the middle of a long job exits 0 within SHUTDOWN_TIMEOUT_SECONDS
 *   (plus start-up slack), and its job is not left `active` (pg-boss released it for a
 *   retry), both when Node is started directly (the image, compose) and when SIGTERM goes
 *   to the PID of `npm run worker` (npm → launcher → worker).
 *
 * The worker processes get a database of their own: they work every queue, and must not take
 * (and then release late) the jobs of the test files running alongside.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, request, Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnDatabase, ownDatabaseUrl, type OwnDatabase } from "../helpers/own-database";
import { createDrainer } from "@/server/shutdown";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("HTTP drain", () => {
  let server: Server;
  let port: number;
  let agent: Agent;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/events") {
        res.setHeader("content-type", "text/event-stream");
        res.flushHeaders();
        res.write("data: hello\n\n");
        return; // never ends on its own, like a live subscription
      }
      if (req.url === "/slow") {
        setTimeout(() => res.end("done"), 400);
        return;
      }
      if (req.url === "/hang") return; // a handler that never answers
      res.end("ok");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true });
  });

  afterAll(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });

  function get(pathname: string) {
    return new Promise<{ status: number; body: string; ended: "end" | "error" }>((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: pathname, agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, ended: "end" }));
        res.on("error", () => resolve({ status: res.statusCode ?? 0, body, ended: "error" }));
        res.on("aborted", () => resolve({ status: res.statusCode ?? 0, body, ended: "error" }));
      });
      req.on("error", () => resolve({ status: 0, body: "", ended: "error" }));
      req.end();
    });
  }

  it("ends event streams at once, lets requests finish, closes idle connections", async () => {
    const drainer = createDrainer(server);
    // An idle keep-alive connection, left open by a finished request.
    expect((await get("/plain")).body).toBe("ok");
    const events = get("/events");
    const slow = get("/slow");
    await sleep(100);

    const t0 = Date.now();
    const drained = drainer.drain(5_000);
    const stream = await events;
    expect(Date.now() - t0).toBeLessThan(300);
    expect(stream.body).toContain("data: hello");
    expect(await slow).toMatchObject({ status: 200, body: "done", ended: "end" });
    // Nothing waits for the deadline: the idle connection does not hold the server open.
    expect(await drained).toEqual({ streamsClosed: 1, connectionsCut: 0 });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("cuts what is still open at the deadline", async () => {
    const other = createServer((req) => void req); // never answers
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    const otherPort = (other.address() as AddressInfo).port;
    const drainer = createDrainer(other);
    const hung = new Promise<string>((resolve) => {
      const req = request({ host: "127.0.0.1", port: otherPort, path: "/hang" }, () =>
        resolve("answered"),
      );
      req.on("error", () => resolve("cut"));
      req.end();
    });
    await sleep(100);
    const t0 = Date.now();
    expect(await drainer.drain(300)).toEqual({ streamsClosed: 0, connectionsCut: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(await hung).toBe("cut");
  });
});

describe("SIGTERM to a worker in the middle of a job", () => {
  const SHUTDOWN_SECONDS = 2;
  // Exit must come within the shutdown budget; the slack covers pg-boss closing its pool.
  const EXIT_WITHIN_MS = (SHUTDOWN_SECONDS + 6) * 1000;

  let db: OwnDatabase;
  let url: string;
  let probe: pg.Client;
  let stopBoss: (timeoutMs?: number) => Promise<void>;
  let closeDatabase: () => Promise<void>;
  let campaignId: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createOwnDatabase(ownDatabaseUrl("salestrack_shutdown"));
    url = db.url;

    // src/env.ts reads process.env once, at import: point it at this database first.
    process.env.DATABASE_URL = url;
    const helpers = await import("../helpers/campaigns");
    const { freshTenant } = await import("../helpers/import");
    ({ stopBoss } = await import("@/server/queue/boss"));
    ({ closeDatabase } = await import("@/server/db/client"));

    // A paced sandbox bot: its one batch takes far longer than the shutdown budget.
    const t = await freshTenant();
    const bot = await helpers.createSandboxBot(t, { ratePerSecond: 2 });
    const { groupId } = await helpers.seedAudience(t.workspaceId, 60);
    const api = helpers.callerFor(t);
    const campaign = await api.campaigns.create(helpers.draftOf("Apagado", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });
    campaignId = campaign.id;
    // From here on every `salestrack-*` connection to this database is a worker's.
    await stopBoss(1_000);
    await closeDatabase();

    probe = new pg.Client({ connectionString: url });
    await probe.connect();
  }, 120_000);

  afterAll(async () => {
    for (const child of children) {
      // Whatever a failed run left behind (the whole process group of `npm run worker`).
      if (child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await stopBoss?.(1_000);
    await closeDatabase?.();
    await probe?.end();
    await db?.drop();
  });

  async function sendJobStates(): Promise<string[]> {
    const { rows } = await probe.query<{ state: string }>(
      `select state::text from pgboss.job where name = 'campaign.send' and data->>'campaignId' = $1`,
      [campaignId],
    );
    return rows.map((r) => r.state);
  }

  /** Connections a worker opened (app, owner, queue, listen pools), by application_name. */
  async function workerConnections(): Promise<number> {
    const { rows } = await probe.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = $1 and application_name like 'salestrack-%'`,
      [db.name],
    );
    return rows[0]!.n;
  }

  async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(200);
    }
  }

  function start(command: string, args: string[]) {
    let output = "";
    const child = spawn(command, args, {
      cwd: path.resolve("."),
      // Its own process group: cleanup can reach the whole `npm` → launcher → worker chain.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATABASE_APP_URL: "",
        SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_SECONDS),
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "info",
      },
    });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    children.push(child);
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    return { child, exited, output: () => output };
  }

  async function stopMidJob(
    proc: ReturnType<typeof start>,
  ): Promise<{ code: number | null; ms: number }> {
    await waitFor("a campaign.send job running in the worker", async () =>
      (await sendJobStates()).includes("active"),
    );
    await sleep(500); // a few sends in
    const t0 = Date.now();
    process.kill(proc.child.pid!, "SIGTERM");
    const timeout = sleep(EXIT_WITHIN_MS + 10_000).then(() => "timeout" as const);
    const result = await Promise.race([proc.exited, timeout]);
    const ms = Date.now() - t0;
    if (result === "timeout") {
      throw new Error(`still running ${ms} ms after SIGTERM:\n${proc.output().slice(-3000)}`);
    }
    const [code] = result;
    // Every connection of the worker is closed: nothing kept running behind the exit.
    await waitFor(
      "the worker's connections to close",
      async () => (await workerConnections()) === 0,
      10_000,
    ).catch(() => {
      throw new Error(`worker connections left open:\n${proc.output().slice(-3000)}`);
    });
    return { code, ms };
  }

  it("started directly (the image's way): exits 0 in time and releases its job", async () => {
    const { nodeArgsFor } = await import("../../scripts/node-args");
    const proc = start(process.execPath, [
      ...nodeArgsFor(["--worker"]),
      "--import",
      "tsx",
      "src/server/main.ts",
      "--worker",
    ]);
    const { code, ms } = await stopMidJob(proc);
    expect(code, proc.output().slice(-3000)).toBe(0);
    expect(ms).toBeLessThan(EXIT_WITHIN_MS);
    expect(await sendJobStates()).not.toContain("active");
  }, 120_000);

  it("through `npm run worker`: SIGTERM to npm's PID reaches the worker, which exits 0 in time", async () => {
    const npm = process.env.npm_execpath;
    const proc = npm
      ? start(process.execPath, [npm, "run", "--silent", "worker"])
      : start("npm", ["run", "--silent", "worker"]);
    const { code, ms } = await stopMidJob(proc);
    expect(code, proc.output().slice(-3000)).toBe(0);
    expect(ms).toBeLessThan(EXIT_WITHIN_MS);
    expect(await sendJobStates()).not.toContain("active");
  }, 120_000);
});
