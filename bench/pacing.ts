/**
 * Pacing benchmark: one webhook bot paced at 10 messages/s, its campaign (2,000 recipients,
 * four batches, bot concurrency 4) sent by three worker processes, for 60 s. A loopback
 * receiver records when each message arrives — the honest measure, after timers, HTTP and
 * the event loop — and the figures are the most arrivals in any 1-second window (one window
 * starting at each arrival) and the total in the 60 s from the first arrival.
 * Baseline from the same run: this process posting to the same receiver on an exact 100 ms
 * grid (setTimeout to each due time), i.e. what timer and HTTP jitter alone do to the windows.
 *   npm run bench -- pacing              (BENCH_SECONDS=20 for a quick run)
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { freshBenchDatabase } from "./bench-db";
import {
  createBenchWorkspace,
  createCampaignDraft,
  ensureSecretsKey,
  peakRssMb,
  round,
  seedAudience,
  startWorkerProcesses,
  stopProcesses,
} from "./campaign-fixture";

const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WORKERS = 3;
const RECIPIENTS = 2_000;
const BOT_CONCURRENCY = 4;

const now = () => performance.timeOrigin + performance.now();

type Receiver = {
  url: string;
  /** First arrival (epoch ms, sub-ms precision) per message id, in arrival order. */
  arrivals: Map<string, number>;
  /** When the sender built each message (the payload's `timestamp`, ms): the send's start. */
  sentAt: Map<string, number>;
  duplicates: number;
  refused: number;
  close(): Promise<void>;
};

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * A receiver that stamps each request when its headers arrive, verifies Standard Webhooks
 * signatures (when given a secret), dedupes on webhook-id and answers 200 at once.
 */
async function startReceiver(secret: string | null): Promise<Receiver> {
  const verifier = secret ? new Webhook(secret) : null;
  const arrivals = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const state = { duplicates: 0, refused: 0 };
  const server = createServer((req, res) => {
    const at = now();
    void body(req).then((raw) => {
      const id = String(req.headers["webhook-id"] ?? "");
      try {
        verifier?.verify(raw, {
          "webhook-id": id,
          "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
          "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
        });
      } catch {
        state.refused++;
        res.writeHead(401).end();
        return;
      }
      if (arrivals.has(id)) state.duplicates++;
      else {
        arrivals.set(id, at);
        const stamp = (JSON.parse(raw) as { timestamp?: string }).timestamp;
        if (stamp) sentAt.set(id, Date.parse(stamp));
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/salestrack`,
    arrivals,
    sentAt,
    get duplicates() {
      return state.duplicates;
    },
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Window figures over the arrivals in [first, first + SECONDS). */
function analyse(all: number[]) {
  const times = [...all].sort((a, b) => a - b);
  const start = times[0]!;
  const inRun = times.filter((t) => t < start + SECONDS * 1000);
  let max = 0;
  let worstAt = 0;
  for (let i = 0, j = 0; i < inRun.length; i++) {
    while (j < inRun.length && inRun[j]! < inRun[i]! + 1000) j++;
    if (j - i > max) {
      max = j - i;
      worstAt = inRun[i]! - start;
    }
  }
  const gaps = inRun.slice(1).map((t, i) => t - inRun[i]!);
  gaps.sort((a, b) => a - b);
  const interval = 1000 / RATE;
  // Offset of each arrival from the ideal grid start + k × interval: its spread is the jitter.
  const offsets = inRun.map((t, k) => t - start - k * interval);
  return {
    total: inRun.length,
    max_in_any_second: max,
    worst_window_at_s: round(worstAt / 1000, 1),
    windows_over_rate: inRun.filter((t, i) => {
      let n = 0;
      for (let j = i; j < inRun.length && inRun[j]! < t + 1000; j++) n++;
      return n > RATE;
    }).length,
    gap_ms: {
      min: round(gaps[0] ?? 0, 1),
      p1: round(gaps[Math.floor(gaps.length * 0.01)] ?? 0, 1),
      p50: round(gaps[Math.floor(gaps.length / 2)] ?? 0, 1),
      max: round(gaps[gaps.length - 1] ?? 0, 1),
    },
    grid_jitter_ms: round(Math.max(...offsets) - Math.min(...offsets), 1),
  };
}

/** Baseline: one process POSTing on an exact grid, each send timed by its own setTimeout. */
async function gridSender(receiver: Receiver): Promise<void> {
  const interval = 1000 / RATE;
  const start = now() + 200;
  const count = SECONDS * RATE;
  await Promise.all(
    Array.from(
      { length: count },
      (_, k) =>
        new Promise<void>((resolve) => {
          setTimeout(
            () => {
              void fetch(receiver.url, {
                method: "POST",
                headers: { "content-type": "application/json", "webhook-id": `grid-${k}` },
                body: JSON.stringify({ k }),
              })
                .then((r) => r.body?.cancel())
                .finally(resolve);
            },
            start + k * interval - now(),
          );
        }),
    ),
  );
}

async function main() {
  ensureSecretsKey();
  const db = await freshBenchDatabase("salestrack_bench_pacing");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const workspaceId = await createBenchWorkspace(owner, "bench-pacing");
  const groupId = await seedAudience(owner, workspaceId, {
    count: RECIPIENTS,
    prefix: "5",
    group: "Pacing",
  });
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const receiver = await startReceiver(secret);
  const { campaignId } = await createCampaignDraft({
    workspaceId,
    groupId,
    name: "Pacing",
    bot: {
      name: "Webhook paced",
      kind: "webhook",
      config: { url: receiver.url },
      credentials: { signingSecret: secret },
      concurrency: BOT_CONCURRENCY,
      ratePerSecond: RATE,
    },
  });

  console.error(`starting ${WORKERS} worker processes…`);
  const workers = await startWorkerProcesses(WORKERS);
  const { launchCampaign, cancelCampaign } =
    await import("../src/modules/campaigns/campaign-launch.service");
  const who = { workspaceId, actorUserId: null, meta: null, id: campaignId };
  await launchCampaign(who);
  console.error(`campaign launched; measuring ${SECONDS} s from the first arrival…`);
  while (receiver.arrivals.size === 0) await new Promise((r) => setTimeout(r, 20));
  const first = [...receiver.arrivals.values()][0]!;
  await new Promise((r) => setTimeout(r, first + SECONDS * 1000 + 1000 - now()));
  await cancelCampaign(who);
  const peakRss = peakRssMb(workers);
  await stopProcesses(workers);
  const paced = analyse([...receiver.arrivals.values()]);
  // The same figures at the sender, before HTTP: whether the excess is scheduling or transport.
  const atSend = analyse([...receiver.sentAt.values()]);
  // Each message's time from the sender's payload stamp to its arrival (same clock, one host).
  const transit = [...receiver.arrivals]
    .filter(([id]) => receiver.sentAt.has(id))
    .map(([id, at]) => at - receiver.sentAt.get(id)!)
    .sort((a, b) => a - b);
  const transitMs = {
    p50: round(transit[Math.floor(transit.length / 2)] ?? 0, 1),
    p99: round(transit[Math.floor(transit.length * 0.99)] ?? 0, 1),
    max: round(transit[transit.length - 1] ?? 0, 1),
  };
  const { rows: jobs } = await owner.query<{ n: number }>(
    "select count(distinct data->>'batch')::int as n from pgboss.job where name = 'campaign.send' and data->>'campaignId' = $1",
    [campaignId],
  );
  await receiver.close();

  console.error(`baseline: one process posting on an exact ${1000 / RATE} ms grid…`);
  const gridReceiver = await startReceiver(null);
  await gridSender(gridReceiver);
  const grid = analyse([...gridReceiver.arrivals.values()]);
  await gridReceiver.close();

  const expected = RATE * SECONDS;
  const result = {
    bench: "pacing",
    rate_per_s: RATE,
    seconds: SECONDS,
    workers: WORKERS,
    bot_concurrency: BOT_CONCURRENCY,
    batches_sent_from: jobs[0]?.n ?? 0,
    max_in_any_second: paced.max_in_any_second,
    total: paced.total,
    expected,
    total_error_pct: round(((paced.total - expected) / expected) * 100, 2),
    windows_over_rate: paced.windows_over_rate,
    worst_window_at_s: paced.worst_window_at_s,
    gap_ms: paced.gap_ms,
    grid_jitter_ms: paced.grid_jitter_ms,
    at_send_max_in_any_second: atSend.max_in_any_second,
    at_send_windows_over_rate: atSend.windows_over_rate,
    at_send_gap_ms: atSend.gap_ms,
    transit_ms: transitMs,
    duplicates: receiver.duplicates,
    refused: receiver.refused,
    baseline_max_in_any_second: grid.max_in_any_second,
    baseline_total: grid.total,
    baseline_windows_over_rate: grid.windows_over_rate,
    baseline_gap_ms: grid.gap_ms,
    baseline_grid_jitter_ms: grid.grid_jitter_ms,
    peak_rss_mb: peakRss,
  };
  console.log(
    `paced bot (${RATE}/s, ${WORKERS} workers): ${paced.total} arrivals in ${SECONDS} s (expected ${expected}, ${result.total_error_pct}%); ` +
      `most in any 1 s window: ${paced.max_in_any_second} (${paced.windows_over_rate} windows over ${RATE}); ` +
      `gaps min/p1/p50/max ${Object.values(paced.gap_ms).join("/")} ms; jitter vs the ideal grid ${paced.grid_jitter_ms} ms`,
  );
  console.log(
    `the same at the sender (payload timestamps, ms): most in any 1 s window ${atSend.max_in_any_second} ` +
      `(${atSend.windows_over_rate} windows over ${RATE}); gaps min/p1/p50/max ${Object.values(atSend.gap_ms).join("/")} ms; ` +
      `payload to arrival p50/p99/max ${Object.values(transitMs).join("/")} ms`,
  );
  console.log(
    `baseline exact grid from one process: ${grid.total} arrivals; most in any 1 s window: ${grid.max_in_any_second} ` +
      `(${grid.windows_over_rate} windows over ${RATE}); gaps min/p1/p50/max ${Object.values(grid.gap_ms).join("/")} ms; jitter ${grid.grid_jitter_ms} ms`,
  );
  console.log(JSON.stringify(result));

  const { stopBoss } = await import("../src/server/queue/boss");
  const { closeDatabase } = await import("../src/server/db/client");
  await owner.end();
  await stopBoss();
  await closeDatabase();
  await db.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
