/**
 * Realtime benchmark: BENCH_SUBSCRIBERS (200) browsers hold the Logs page's live stream open
 * (`logs.stream`, tRPC over SSE, each with its own signed-in session cookie and workspace
 * cookie) on a web process (bench/realtime-server.ts: the real tRPC route handler and fast
 * lane, without Next's router), while an agent posts BENCH_EVENTS (1,000) signed `TASK_LOG`
 * events to that process's fast lane, one by one at BENCH_RATE (20) a second. Each log line's
 * commit time is Postgres's own (`track_commit_timestamp`, the bench's embedded server is
 * restarted with it on), each arrival is stamped when its bytes reach the subscriber's
 * socket; the figures are p50/p95/p99/max of arrival − commit over every delivery.
 * Baseline from the same run: a bare node:http relay (bench/realtime-relay.ts: one LISTEN,
 * one read per notification, the same bytes to every response) with the same number of
 * subscribers and the same writer.
 *   npm run bench -- realtime      (BENCH_SUBSCRIBERS=50 BENCH_EVENTS=200 for a quick run)
 */
import { randomBytes, randomUUID } from "node:crypto";
import { request, type ClientRequest } from "node:http";
import pg from "pg";
import { benchMember, sessionCookie } from "./bench-caller";
import { freePort, freshBenchDatabase } from "./bench-db";
import {
  cpuSeconds,
  createBenchWorkspace,
  ensureSecretsKey,
  postgresCpuSeconds,
  round,
  startProcess,
  stopProcesses,
} from "./campaign-fixture";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
/** How long deliveries may trail the last event (the stream's safety poll is 5 s). */
const DRAIN_MS = 15_000;
const DB_NAME = "salestrack_bench_realtime";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Postgres records each transaction's commit time only with this on (a restart setting). */
async function benchDatabaseWithCommitTimes() {
  let db = await freshBenchDatabase(DB_NAME);
  const on = async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query<{ v: string }>(
      "select current_setting('track_commit_timestamp') as v",
    );
    await c.end();
    return rows[0]!.v === "on";
  };
  if (!(await on()) && !process.env.BENCH_DATABASE_URL) {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query("alter system set track_commit_timestamp = on");
    await c.end();
    await db.stop();
    // The next start would reuse a server still shutting down.
    while (await reachable(db.url)) await sleep(200);
    await sleep(500);
    db = await freshBenchDatabase(DB_NAME);
  }
  if (!(await on())) {
    throw new Error("track_commit_timestamp is off on the bench's Postgres server: turn it on");
  }
  return db;
}

/** One open SSE response: when each log line (by id) first reached this socket. */
type Subscriber = { arrivals: Map<number, number>; connected: Promise<void>; req: ClientRequest };

/**
 * Opens `url` as a browser's EventSource would and records arrivals: every `data:` event is
 * a batch of log rows (tRPC: superjson `{ json: rows }`; the relay: the rows).
 */
function subscribe(url: string, headers: Record<string, string>, messages: Map<number, string>) {
  const arrivals = new Map<number, number>();
  let resolveConnected!: () => void;
  let rejectConnected!: (err: Error) => void;
  const connected = new Promise<void>((resolve, reject) => {
    resolveConnected = resolve;
    rejectConnected = reject;
  });
  const req = request(url, { agent: false, headers: { accept: "text/event-stream", ...headers } });
  req.on("response", (res) => {
    if (res.statusCode !== 200) {
      rejectConnected(new Error(`${url} answered ${res.statusCode}`));
      res.resume();
      return;
    }
    res.setEncoding("utf8");
    let buffer = "";
    res.on("data", (chunk: string) => {
      const at = now();
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trimStart();
        }
        if (event === "connected") resolveConnected();
        else if (event === "serialized-error") console.error(`stream error: ${data}`);
        else if (event === "message" && data) {
          const parsed = JSON.parse(data) as { json?: unknown } | unknown[];
          const rows = (Array.isArray(parsed) ? parsed : parsed.json) as {
            id: number;
            message: string;
          }[];
          for (const row of rows) {
            if (!arrivals.has(row.id)) arrivals.set(row.id, at);
            if (!messages.has(row.id)) messages.set(row.id, row.message);
          }
        }
      }
    });
  });
  req.on("error", (err) => rejectConnected(err));
  req.end();
  return { arrivals, connected, req } satisfies Subscriber;
}

type Writer = { base: string; botId: string; secret: string };

async function postLog(writer: Writer, message: string): Promise<void> {
  const { signEvent } = await import("../src/modules/bots/agent-signature");
  const body = JSON.stringify({ type: "TASK_LOG", data: { level: "info", message } });
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(`${writer.base}/api/webhooks/bots/${writer.botId}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signEvent(writer.secret, id, timestamp, body),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`TASK_LOG answered ${res.status}: ${await res.text()}`);
  await res.body?.cancel();
}

const idsWith = (messages: Map<number, string>, prefix: string) =>
  new Set([...messages].filter(([, m]) => m.startsWith(prefix)).map(([id]) => id));

/**
 * One phase: subscribers open and connected, a warm-up line seen by all of them (each is
 * in its wait loop), then EVENTS lines on a steady grid, then the drain. Returns the
 * subscribers and the measured lines' messages by id.
 */
async function runPhase(
  phase: string,
  open: (messages: Map<number, string>) => Subscriber,
  writer: Writer,
): Promise<{ subscribers: Subscriber[]; messages: Map<number, string>; late: number }> {
  const messages = new Map<number, string>();
  const subscribers: Subscriber[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) subscribers.push(open(messages));
  await Promise.all(subscribers.map((s) => s.connected));
  const warmUp = `${phase} warm-up`;
  for (let seen = false; !seen;) {
    await postLog(writer, warmUp);
    const deadline = now() + 10_000;
    while (!seen && now() < deadline) {
      await sleep(50);
      const ids = idsWith(messages, warmUp);
      seen = subscribers.every((s) => [...ids].some((id) => s.arrivals.has(id)));
    }
  }
  console.error(`${phase}: ${SUBSCRIBERS} subscribers live; ${EVENTS} lines at ${RATE}/s…`);
  // One by one: each line is posted on its slot of the grid, or right after the previous
  // one's answer when that came later (counted as late).
  const interval = 1000 / RATE;
  const start = now() + 100;
  let late = 0;
  for (let k = 0; k < EVENTS; k++) {
    const wait = start + k * interval - now();
    if (wait > 0) await sleep(wait);
    else if (wait < -interval) late++;
    await postLog(writer, `${phase} line ${k}`);
  }
  const deadline = now() + DRAIN_MS;
  for (;;) {
    const ids = idsWith(messages, `${phase} line `);
    const done =
      ids.size === EVENTS && subscribers.every((s) => [...ids].every((id) => s.arrivals.has(id)));
    if (done || now() > deadline) break;
    await sleep(100);
  }
  for (const s of subscribers) s.req.destroy();
  return { subscribers, messages, late };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Arrival − commit over every (subscriber, measured line) delivery. */
function latencies(
  run: { subscribers: Subscriber[]; messages: Map<number, string> },
  phase: string,
  committedAt: Map<number, number>,
) {
  const ids = idsWith(run.messages, `${phase} line `);
  const all: number[] = [];
  // Per line: its first arrival at any subscriber, and how long the last one trailed it.
  const first: number[] = [];
  const spread: number[] = [];
  for (const id of ids) {
    const times: number[] = [];
    for (const s of run.subscribers) {
      const at = s.arrivals.get(id);
      if (at !== undefined) times.push(at - committedAt.get(id)!);
    }
    all.push(...times);
    first.push(Math.min(...times));
    spread.push(Math.max(...times) - Math.min(...times));
  }
  for (const list of [all, first, spread]) list.sort((a, b) => a - b);
  return {
    first_p50_ms: round(percentile(first, 0.5), 1),
    spread_p50_ms: round(percentile(spread, 0.5), 1),
    deliveries: all.length,
    missing: SUBSCRIBERS * EVENTS - all.length,
    p50_ms: round(percentile(all, 0.5), 1),
    p95_ms: round(percentile(all, 0.95), 1),
    p99_ms: round(percentile(all, 0.99), 1),
    max_ms: round(all.at(-1) ?? NaN, 1),
  };
}

/** `count` viewers of the workspace, each signed in: the cookies their browser would send. */
async function signedInBrowsers(owner: pg.Client, workspaceId: string, count: number) {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const viewer = await benchMember(owner, workspaceId, "viewer", `Viewer ${i}`);
    cookies.push(await sessionCookie(viewer, workspaceId));
  }
  return cookies;
}

async function main() {
  ensureSecretsKey();
  process.env.NEXTAUTH_SECRET ??= randomBytes(24).toString("base64url");
  const db = await benchDatabaseWithCommitTimes();
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const workspaceId = await createBenchWorkspace(owner, "bench-realtime");
  const { withTenant } = await import("../src/server/db/tenant");
  const { createBot } = await import("../src/modules/bots/bots.service");
  const { createBotInput } = await import("../src/modules/bots/bots.schema");
  const { bot, secret } = await withTenant({ workspaceId }, (tx) =>
    createBot({
      tx,
      workspaceId,
      actorUserId: null,
      meta: null,
      input: createBotInput.parse({ name: "Agent", kind: "agent", config: {} }),
    }),
  );
  const cookies = await signedInBrowsers(owner, workspaceId, SUBSCRIBERS);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startProcess({
    label: "web",
    script: "bench/realtime-server.ts",
    args: [],
    ready: "realtime server listening",
    env: { BENCH_HTTP_PORT: String(port), NEXTAUTH_URL: base },
  });
  const writer = { base, botId: bot.id, secret: secret! };
  // The stream starts after the newest line that exists: give the workspace one.
  await postLog(writer, "first line");

  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  let next = 0;
  const cpu0 = { web: cpuSeconds(server.pid), pg: postgresCpuSeconds() };
  const app = await runPhase(
    "app",
    (messages) =>
      subscribe(
        `${base}/api/trpc/logs.stream?input=${input}`,
        { cookie: cookies[next++]! },
        messages,
      ),
    writer,
  );
  const cpu = {
    web: round(cpuSeconds(server.pid) - cpu0.web, 1),
    pg: cpu0.pg === null ? null : round(postgresCpuSeconds()! - cpu0.pg, 1),
  };

  const relayPort = await freePort();
  const relay = await startProcess({
    label: "relay",
    script: "bench/realtime-relay.ts",
    args: [],
    ready: "relay listening",
    env: { BENCH_HTTP_PORT: String(relayPort), BENCH_WORKSPACE_ID: workspaceId },
  });
  const relayCpu0 = cpuSeconds(relay.pid);
  const floor = await runPhase(
    "relay",
    (messages) => subscribe(`http://127.0.0.1:${relayPort}/relay`, {}, messages),
    writer,
  );
  const relayCpu = round(cpuSeconds(relay.pid) - relayCpu0, 1);
  await stopProcesses([server, relay]);

  const { rows } = await owner.query<{ id: string; ms: number }>(
    `select id::text, extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000 as ms
       from log where workspace_id = $1`,
    [workspaceId],
  );
  const committedAt = new Map(rows.map((r) => [Number(r.id), Number(r.ms)]));
  const measured = latencies(app, "app", committedAt);
  const baseline = latencies(floor, "relay", committedAt);
  const result = {
    bench: "realtime",
    subscribers: SUBSCRIBERS,
    events: EVENTS,
    rate_per_s: RATE,
    ...measured,
    writer_late: app.late,
    baseline_writer_late: floor.late,
    cpu_s_web: cpu.web,
    cpu_s_postgres: cpu.pg,
    baseline_p50_ms: baseline.p50_ms,
    baseline_p95_ms: baseline.p95_ms,
    baseline_p99_ms: baseline.p99_ms,
    baseline_max_ms: baseline.max_ms,
    baseline_missing: baseline.missing,
    baseline_first_p50_ms: baseline.first_p50_ms,
    baseline_spread_p50_ms: baseline.spread_p50_ms,
    baseline_cpu_s_relay: relayCpu,
  };
  console.log(
    `logs.stream (tRPC SSE, ${SUBSCRIBERS} signed-in subscribers, ${EVENTS} TASK_LOG lines at ${RATE}/s): ` +
      `commit → arrival p50 ${measured.p50_ms} ms, p95 ${measured.p95_ms} ms, p99 ${measured.p99_ms} ms, ` +
      `max ${measured.max_ms} ms over ${measured.deliveries} deliveries (${measured.missing} missing); ` +
      `per line: first arrival p50 ${measured.first_p50_ms} ms, last − first p50 ${measured.spread_p50_ms} ms; ` +
      `CPU s: web ${cpu.web}, postgres ${cpu.pg ?? "?"}`,
  );
  console.log(
    `baseline (bare LISTEN → SSE relay, one read per notification): p50 ${baseline.p50_ms} ms, ` +
      `p95 ${baseline.p95_ms} ms, p99 ${baseline.p99_ms} ms, max ${baseline.max_ms} ms; per line: first ` +
      `arrival p50 ${baseline.first_p50_ms} ms, last − first p50 ${baseline.spread_p50_ms} ms ` +
      `(${baseline.missing} missing; relay CPU s ${relayCpu})`,
  );
  console.log(JSON.stringify(result));

  if (!process.env.BENCH_DATABASE_URL) {
    // Back to the default for the next benchmark on this server (from its next start).
    await owner.query("alter system reset track_commit_timestamp");
  }
  const { closeDatabase } = await import("../src/server/db/client");
  await owner.end();
  await closeDatabase();
  await db.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
