/**
 * Import benchmark: a 1M-row realistic CSV imported through the real upload + pg-boss job
 * into a workspace that already holds 1M contacts, against the same run's baseline — psql
 * `\copy` of the already-normalised rows into an identical indexed table. The job runs in a
 * worker process started as `npm run worker` starts it (same flags); its RSS is measured.
 * Then, at ~2M contacts, the list's word-prefix and phone-suffix search p50/p95.
 *   npm run bench -- import            (BENCH_ROWS=200000 for a quicker run)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createReadStream, mkdirSync, readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import pg from "pg";
import { freshBenchDatabase } from "./bench-db";
import type { Fixture } from "./import-fixture";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EXISTING = Number(process.env.BENCH_EXISTING ?? 1_000_000);
const BASELINE_RUNS = 3;
const out = path.resolve("bench/out");

function ms(since: number) {
  return performance.now() - since;
}

/** A /proc/<pid>/status figure in MB (VmRSS: now, VmHWM: peak). */
function procMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(line?.replace(/\D+/g, "") ?? 0) / 1024);
}

/** psql `\copy` of the normalised rows into baseline table `n`; returns the time it took. */
function copyBaseline(url: string, normPath: string, n: number): number {
  console.error(`baseline ${n}: psql \\copy of the normalised rows…`);
  const t = performance.now();
  execFileSync(
    "psql",
    [
      url,
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      `\\copy contact_baseline_${n} (workspace_id, phone, nombre, sustantivo, attributes, source) from '${normPath}'`,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return ms(t);
}

/** Starts the worker role like `npm run worker` does and waits until it is consuming jobs. */
async function startWorkerProcess(): Promise<{ child: ChildProcess; nodeArgs: string[] }> {
  const { nodeArgsFor } = await import("../scripts/node-args");
  const nodeArgs = nodeArgsFor(["--worker"]);
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", path.resolve("src/server/main.ts"), "--worker"],
    {
      env: {
        ...process.env,
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: process.env.LOG_LEVEL === "debug" ? "debug" : "info",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      console.error(line);
      if (line.includes('"salestrack started"')) resolve();
    });
  });
  return { child, nodeArgs };
}

const percentile = (sorted: number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10;

/**
 * The contacts list's search as a request runs it (listContacts in a tenant transaction as the
 * app role: the page of 50 and its total), over several terms of each kind, 10 rounds.
 */
async function searchLatency(workspaceId: string) {
  const { withTenant } = await import("../src/server/db/tenant");
  const { listContacts } = await import("../src/modules/contacts/contacts.service");
  const terms = {
    // Any word's start, accents and case as typed: common and rarer words, two-word terms.
    word_prefix: ["gonz", "Benítez", "NUÑ", "maria gonz", "acosta", "vale", "duarte sofía"],
    // A phone's last digits (4 to 7).
    phone_suffix: ["120000", "4567", "0001234", "98765", "1212", "555555", "70707"],
  };
  const out: Record<string, number> = {};
  for (const [kind, list] of Object.entries(terms)) {
    const times: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const search of list) {
        const t = performance.now();
        await withTenant({ workspaceId }, (tx) =>
          listContacts({
            tx,
            workspaceId,
            input: { search, page: 1, pageSize: 50, sort: "createdAt", dir: "desc" },
            defaultCountry: "PY",
          }),
        );
        times.push(ms(t));
      }
    }
    times.sort((a, b) => a - b);
    out[`${kind}_p50_ms`] = percentile(times, 0.5);
    out[`${kind}_p95_ms`] = percentile(times, 0.95);
  }
  return out;
}

async function main() {
  mkdirSync(out, { recursive: true });
  const db = await freshBenchDatabase("salestrack_bench_import");
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();

  const {
    rows: [ws],
  } = await owner.query<{ id: string }>(
    "insert into workspace (slug, name, default_country) values ('bench', 'Bench', 'PY') returning id",
  );
  const workspaceId = ws!.id;
  console.error(`seeding ${EXISTING} existing contacts…`);
  // Names from the same lists as the CSV, so word searches find a realistic share of both.
  const { DEMO_FIRST_NAMES, DEMO_LAST_NAMES } = await import("../src/server/db/demo-names");
  await owner.query(
    `insert into contact (workspace_id, phone, nombre, source)
     select $1, '+595981' || lpad(g::text, 6, '0'),
            ($3::text[])[1 + g % cardinality($3::text[])] || ' ' || ($4::text[])[1 + (g::bigint * 7919) % cardinality($4::text[])],
            'manual' from generate_series(0, $2 - 1) g`,
    [workspaceId, EXISTING, DEMO_FIRST_NAMES, DEMO_LAST_NAMES],
  );
  // Baseline tables: identical columns and indexes, same size, other phone ranges. The
  // baseline runs three times (once before the import, twice after): its median is used.
  for (let b = 1; b <= BASELINE_RUNS; b++) {
    await owner.query(`create table contact_baseline_${b} (like contact including all)`);
    await owner.query(
      `insert into contact_baseline_${b} (workspace_id, phone, nombre, source)
       select $1, '+59597' || $3 || lpad(g::text, 6, '0'), 'Existente ' || g, 'manual' from generate_series(0, $2 - 1) g`,
      [workspaceId, EXISTING, String(b - 1)],
    );
    await owner.query(`vacuum analyze contact_baseline_${b}`);
  }
  await owner.query("vacuum analyze contact");

  console.error(`writing a ${ROWS}-row CSV…`);
  const csvPath = path.join(out, "import.csv");
  const normPath = path.join(out, "import-normalised.tsv");
  const fx = JSON.parse(
    execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.resolve("bench/import-fixture.ts"),
        csvPath,
        normPath,
        workspaceId,
        String(ROWS),
        String(EXISTING),
      ],
      {
        maxBuffer: 1 << 20,
      },
    ).toString(),
  ) as Fixture;

  // The app's modules read DATABASE_URL at import: load them only now.
  const { storeUpload, startImport, getImport } =
    await import("../src/modules/contacts/imports.service");
  const { stopBoss } = await import("../src/server/queue/boss");
  const { closeDatabase } = await import("../src/server/db/client");
  const { child: worker, nodeArgs } = await startWorkerProcess();
  const workerPid = worker.pid!;

  // What the worker holds before the import starts (runtime, tsx, app modules, pg-boss).
  const rssBeforeMb = procMb(workerPid, "VmRSS");
  console.error("uploading…");
  const tUpload = performance.now();
  const uploaded = await storeUpload({
    workspaceId,
    userId: null,
    fileName: "bench.csv",
    body: createReadStream(csvPath),
    maxBytes: 1 << 30,
  });
  const uploadMs = ms(tUpload);

  const copyRuns = [copyBaseline(db.url, normPath, 1)];

  console.error("importing…");
  const tImport = performance.now();
  await startImport({
    workspaceId,
    importId: uploaded.id,
    options: { dryRun: false },
  });
  let view = await getImport({ workspaceId, importId: uploaded.id });
  while (!["completed", "failed", "canceled"].includes(view.status)) {
    await new Promise((r) => setTimeout(r, 200));
    if (process.env.BENCH_TRACE_MEM) console.error(`worker rss ${procMb(workerPid, "VmRSS")} MB`);
    view = await getImport({ workspaceId, importId: uploaded.id });
  }
  const importMs = ms(tImport);
  const peakRssMb = procMb(workerPid, "VmHWM");
  worker.kill("SIGTERM");
  if (view.status !== "completed") throw new Error(`import ${view.status}: ${view.errorMessage}`);

  for (let b = 2; b <= BASELINE_RUNS; b++) copyRuns.push(copyBaseline(db.url, normPath, b));
  const copyMs = [...copyRuns].sort((x, y) => x - y)[Math.floor(copyRuns.length / 2)]!;

  // List/search latency at ~2M contacts, through the app role and RLS like a request.
  const { withTenant } = await import("../src/server/db/tenant");
  const { sql } = await import("drizzle-orm");
  const probes: Record<string, string> = {
    first_page:
      "select id, phone, nombre from contact where workspace_id = $1 order by created_at desc, id desc limit 50",
    // The same shapes as the contacts list's search (ranges: usable by an index under RLS).
    name_prefix:
      "select id, phone, nombre from contact where workspace_id = $1 and name_key >= 'maria gon' and name_key < 'maria goo' order by name_key limit 50",
    phone_prefix:
      "select id, phone, nombre from contact where workspace_id = $1 and phone >= '+59598212' and phone < '+59598213' order by phone limit 50",
  };
  const latency: Record<string, number> = {};
  for (const [name, query] of Object.entries(probes)) {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await withTenant({ workspaceId }, (tx) =>
        tx.execute(sql.raw(query.replace("$1", `'${workspaceId}'`))),
      );
      times.push(ms(t));
    }
    times.sort((a, b) => a - b);
    latency[`${name}_p50_ms`] = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
  }
  const search = await searchLatency(workspaceId);
  const { rows: countRows } = await owner.query<{ n: string }>(
    "select count(*)::text as n from contact",
  );
  const totalContacts = countRows[0]?.n ?? "0";

  const c = view.counts!;
  const result = {
    bench: "import",
    rows: ROWS,
    file_mb: Math.round(statSync(csvPath).size / 1e5) / 10,
    wall_s: Math.round(importMs / 100) / 10,
    upload_s: Math.round(uploadMs / 100) / 10,
    rows_per_s: Math.round(ROWS / (importMs / 1000)),
    baseline_rows: fx.normalised,
    baseline_s: Math.round(copyMs / 100) / 10,
    baseline_runs_s: copyRuns.map((t) => Math.round(t / 100) / 10),
    baseline_rows_per_s: Math.round(fx.normalised / (copyMs / 1000)),
    ratio: Math.round((importMs / copyMs) * 100) / 100,
    peak_rss_mb: peakRssMb,
    rss_before_import_mb: rssBeforeMb,
    worker_node_args: nodeArgs.join(" "),
    counts: {
      inserted: c.inserted,
      updated: c.updated,
      unchanged: c.unchanged,
      duplicates: c.duplicates,
      invalid: c.invalid,
    },
    contacts_after: Number(totalContacts),
    ...latency,
    ...search,
  };
  console.log(
    `import: ${result.rows_per_s} rows/s (${result.wall_s} s for ${ROWS} rows; upload ${result.upload_s} s)`,
  );
  console.log(
    `baseline psql \\copy: ${result.baseline_rows_per_s} rows/s (median of ${result.baseline_runs_s.join(" / ")} s) → ratio ${result.ratio}×`,
  );
  console.log(
    `worker peak RSS ${peakRssMb} MB (${rssBeforeMb} MB before the import started); list/search at ${result.contacts_after} contacts: ${JSON.stringify(latency)}`,
  );
  console.log(
    `search through contacts.list (RLS, page of 50 + total): word prefix p50 ${search.word_prefix_p50_ms} / p95 ${search.word_prefix_p95_ms} ms; phone suffix p50 ${search.phone_suffix_p50_ms} / p95 ${search.phone_suffix_p95_ms} ms`,
  );
  console.log(JSON.stringify(result));

  await owner.end();
  await stopBoss();
  await closeDatabase();
  await db.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
