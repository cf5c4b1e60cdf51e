/**
 * Webhooks benchmark (issue 10): signed `TASK_LOG` bot events from autocannon on loopback
 * against the real fast lane — an ingest process (`src/server/main.ts --ingest`, what
 * `npm run ingest` runs) — for BENCH_SECONDS (30), then, in the same run, against the
 * baseline: a bare node:http server verifying the same signature and inserting the same log
 * row with one INSERT (webhooks-baseline.ts). Every request has its own `webhook-id` and a
 * fresh signature. Afterwards the log rows are counted: every acknowledged event must be there.
 *   npm run bench -- webhooks     (BENCH_SECONDS=5 for a quick run; BENCH_CONNECTIONS, 50)
 */
import pg from "pg";
import type { Result } from "autocannon";
import { freshBenchDatabase } from "./bench-db";
import { createBenchWorkspace, ensureSecretsKey, round } from "./campaign-fixture";
import {
  createAgentBot,
  signedLoad,
  startServerProcess,
  type AgentBot,
  type ServerProcess,
} from "./webhooks-fixture";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

type Figures = {
  acknowledged: number;
  events_per_s: number;
  p50_ms: number;
  p99_ms: number;
  refused: Record<string, number>;
  errors: number;
  persisted: number;
};

async function measure(
  label: string,
  server: ServerProcess,
  bot: AgentBot,
  owner: pg.Client,
): Promise<Figures> {
  console.error(`${label}: ${SECONDS} s of signed events, ${CONNECTIONS} connections`);
  const result: Result = await signedLoad({
    url: server.url,
    bot,
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  await server.stop();
  const { rows } = await owner.query<{ n: number }>(
    "select count(*)::int as n from log where bot_id = $1",
    [bot.botId],
  );
  const refused = Object.fromEntries(
    Object.entries(result.statusCodeStats)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, { count }]) => [code, count]),
  );
  return {
    acknowledged: result["2xx"],
    events_per_s: round(result["2xx"] / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    refused,
    errors: result.errors + result.timeouts,
    persisted: rows[0]!.n,
  };
}

async function main() {
  ensureSecretsKey();
  const db = await freshBenchDatabase("salestrack_bench_webhooks");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  const workspaceId = await createBenchWorkspace(owner, "bench-webhooks");
  const laneBot = await createAgentBot(workspaceId, "Fast lane agent");
  const baselineBot = await createAgentBot(workspaceId, "Baseline agent");
  const { closeDatabase } = await import("../src/server/db/client");
  await closeDatabase();

  const ingest = await startServerProcess("ingest", "src/server/main.ts", ["--ingest"], {
    DATABASE_URL: db.url,
    METRICS_LISTEN: "off",
    SEED_DEMO_DATA: "false",
    LOG_LEVEL: "warn",
  });
  const lane = await measure("fast lane (ingest process)", ingest, laneBot, owner);

  const bare = await startServerProcess("baseline", "bench/webhooks-baseline.ts", [], {
    DATABASE_URL: db.url,
    WORKSPACE_ID: workspaceId,
    BOT_ID: baselineBot.botId,
    BOT_SECRET: baselineBot.secret,
  });
  const baseline = await measure("baseline (bare node:http)", bare, baselineBot, owner);
  await owner.end();
  await db.stop();

  console.error(JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, lane, baseline }));
  console.log(
    JSON.stringify({
      events_per_s: lane.events_per_s,
      p50_ms: lane.p50_ms,
      p99_ms: lane.p99_ms,
      baseline_events_per_s: baseline.events_per_s,
      ratio: round(lane.events_per_s / baseline.events_per_s, 2),
      lost: Math.max(0, lane.acknowledged - lane.persisted),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
