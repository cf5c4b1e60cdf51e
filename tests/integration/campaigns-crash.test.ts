/**
 * Crash recovery of the send path, end to end: a 5,000-recipient campaign goes out through a
 * signed webhook (the fake receiver, in this process) from two worker child processes started
 * like `npm run worker`; five times, at a random point of each fifth of the campaign and while
 * claims are in flight, the older worker is SIGKILLed and a new one started. Afterwards every
 * recipient is settled `sent` exactly once (one `sent` event, one ledger row, counted once in
 * the rollups), the receiver holds every recipient's message by id, and the campaign
 * completed.
 *
 * A claim the killed process left `sending` is re-sent by the job's retry under the same
 * webhook-id: by design, since the receiver dedupes on it. So repeats are allowed, but only
 * those the kills explain: at most the rounds in flight (one per running job) per kill.
 *
 * The workers run every queue, so they get a database of their own on the test server:
 * killing them must never strand another test file's jobs, and no other file's workers may
 * pick up this campaign. Nothing in this process works the campaign queues.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOwnDatabase, ownDatabaseUrl, type OwnDatabase } from "../helpers/own-database";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/fake-providers";

const RECIPIENTS = 5_000;
const KILLS = 5;
/** Paced: a job's round (50 claims, settled together) takes over a second, so a kill lands
 * between claim and settle, and what a kill can cost is bounded by the rounds in flight. */
const RATE_PER_SECOND = 150;
const ROUND = 50;
/** Two workers of 4 local jobs each, all of the bot's 8 group slots: while one restarts the
 * other sends, and the dead attempts' slots free up when their heartbeat lapses. */
const WORKERS = 2;
const WORKER_LOCAL_JOBS = 4;
const BOT_CONCURRENCY = WORKERS * WORKER_LOCAL_JOBS;
const signingSecret = `whsec_${randomBytes(32).toString("base64")}`;

const target = ownDatabaseUrl("salestrack_crash");
const crashUrl = target.url;
let db: OwnDatabase | undefined;

type Worker = { child: ChildProcess; exited: Promise<void> };
let receiver: WebhookReceiver;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every worker started here, so none outlives the file (even one that never got ready). */
const spawned = new Set<ChildProcess>();
process.once("exit", () => spawned.forEach((child) => child.kill("SIGKILL")));

/** A worker process as `npm run worker` starts it, against this file's database. */
async function startWorker(): Promise<Worker> {
  const { nodeArgsFor } = await import("../../scripts/node-args");
  const child = spawn(
    process.execPath,
    [
      ...nodeArgsFor(["--worker"]),
      "--import",
      "tsx",
      path.resolve("src/server/main.ts"),
      "--worker",
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: crashUrl,
        // As `npm run worker` runs it (the test environment would also hide its info lines).
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        SEED_DEMO_DATA: "false",
        // A killed worker's jobs are failed (and retried) right after their heartbeat lapses.
        QUEUE_SUPERVISE_SECONDS: "1",
        QUEUE_MONITOR_SECONDS: "1",
      },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  spawned.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      spawned.delete(child);
      resolve();
    }),
  );
  const w = { child, exited };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("worker not ready after 60 s")), 60_000);
      child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (line.includes('"salestrack started"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (err) {
    await kill(w);
    throw err;
  }
  return w;
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function kill(w: Worker | null) {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill("SIGKILL");
  await w.exited;
}

describe("campaign send pipeline under worker crashes", () => {
  beforeAll(async () => {
    db = await createOwnDatabase(target);
    // Before any app module reads the environment: this process talks to the same database.
    process.env.DATABASE_URL = crashUrl;
    receiver = await startWebhookReceiver({ secrets: [signingSecret] });
    receiver.setLatency(5);
  });

  afterAll(async () => {
    await Promise.all([...spawned].map((child) => kill({ child, exited: exitOf(child) })));
    await receiver?.close();
    const { stopBoss } = await import("@/server/queue/boss");
    const { closeDatabase } = await import("@/server/db/client");
    await stopBoss(5_000);
    await closeDatabase();
    await db?.drop();
  });

  it("delivers every message once by id and settles every recipient exactly once", async ({
    annotate,
  }) => {
    const started = Date.now();
    const { freshTenant } = await import("../helpers/import");
    const { callerFor, phones, seedContacts, statusCounts, waitForCampaign } =
      await import("../helpers/campaigns");
    const { systemDb } = await import("@/server/db/client");
    const { sql } = await import("drizzle-orm");

    // Started first: they boot while the data is written.
    const booting = Promise.all(Array.from({ length: WORKERS }, () => startWorker()));
    const t = await freshTenant();
    const groups = await seedContacts(
      t.workspaceId,
      phones(RECIPIENTS).map((phone, i) => ({ phone, nombre: `Cliente ${i}`, groups: ["Crash"] })),
    );
    const api = callerFor(t);
    const { bot } = await api.bots.create({
      name: "Webhook crash",
      kind: "webhook",
      config: { url: `${receiver.url}/hooks/salestrack` },
      credentials: { signingSecret },
      concurrency: BOT_CONCURRENCY,
      ratePerSecond: RATE_PER_SECOND,
    });
    const campaign = await api.campaigns.create({
      name: "Crash",
      audience: { groupIds: [groups.get("Crash")!], excludeGroupIds: [], sources: [] },
      templates: [{ kind: "text", body: "Hola {{nombre}}" }],
      botIds: [bot.id],
    });

    const progress = async () => {
      const { rows } = await systemDb().execute<{ sent: number; sending: number }>(
        sql`select count(*) filter (where status = 'sent')::int as sent,
                   count(*) filter (where status = 'sending')::int as sending
              from campaign_recipient
             where workspace_id = ${t.workspaceId} and campaign_id = ${campaign.id}`,
      );
      return rows[0]!;
    };

    const workers = await booting;
    await api.campaigns.launch({ id: campaign.id });

    // Kill the older worker at a random point of each fifth of the campaign, while claims are
    // in flight, then start its replacement (the other worker keeps sending meanwhile).
    const kills: { afterMs: number; sent: number; sending: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      const at = Math.round((RECIPIENTS * (k + 0.2 + 0.6 * Math.random())) / KILLS);
      const deadline = Date.now() + 60_000;
      let now = await progress();
      while (now.sent < at || now.sending === 0) {
        if (Date.now() > deadline) throw new Error(`no progress past ${now.sent} sent`);
        await sleep(50);
        now = await progress();
      }
      await kill(workers.shift()!);
      kills.push({ afterMs: Date.now() - started, ...now });
      workers.push(await startWorker());
    }

    const done = await waitForCampaign(t, campaign.id, ["completed"], 120_000);
    const wallMs = Date.now() - started;

    // Every kill hit claims between the claim and the settle of their round.
    expect(kills.filter((k) => k.sending > 0)).toHaveLength(KILLS);

    expect(done.counts).toMatchObject({ total: RECIPIENTS, sent: RECIPIENTS, pending: 0 });
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ sent: RECIPIENTS });

    const { rows } = await systemDb().execute<{ id: string }>(
      sql`select id from campaign_recipient where workspace_id = ${t.workspaceId} and campaign_id = ${campaign.id}`,
    );
    const missing = rows.filter((r) => receiver.count(r.id) === 0);
    expect(missing).toEqual([]);
    expect(receiver.unique.size).toBe(RECIPIENTS);

    // Recorded once each, however often the provider was called.
    const once = await systemDb().execute<{ events: number; ledger: number; rollup: number }>(sql`
      select (select count(*)::int from message_event where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id} and type = 'sent') as events,
             (select count(*)::int from send_ledger where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id}) as ledger,
             (select coalesce(sum(count), 0)::int from campaign_rollup where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id} and status = 'sent') as rollup`);
    expect(once.rows[0]).toEqual({ events: RECIPIENTS, ledger: RECIPIENTS, rollup: RECIPIENTS });

    // Repeats come only from rounds a kill interrupted: one round per running job per kill.
    const deliveries = receiver.received.filter((r) => r.accepted).length;
    const repeats = deliveries - RECIPIENTS;
    expect(repeats).toBeLessThanOrEqual(kills.length * WORKER_LOCAL_JOBS * ROUND);
    await annotate(
      `${kills.length} kills (sent / claims in flight at each: ${kills.map((k) => `${k.sent}/${k.sending}`).join(", ")}); ` +
        `${deliveries} deliveries for ${RECIPIENTS} recipients: ${repeats} repeats of ` +
        `${receiver.duplicates().length} ids, deduped by webhook-id; completed in ${Math.round(wallMs / 1000)} s`,
    );
  }, 175_000);
});
