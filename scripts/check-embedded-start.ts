/**
 * CI check (.ci/run) of the zero-config database start in a clone the `postgres` OS user
 * cannot enter (root, private folder): starts the embedded PostgreSQL exactly as
 * `npm start` does, on a spare port, runs `select 1`, stops; then again, to prove the
 * second start finds the same relocated cluster. Removes that cluster at the end: it
 * belongs to a throw-away clone.
 *
 *   npm exec -- tsx scripts/check-embedded-start.ts [data dir, default .data]
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedHandle } from "@/server/db/embedded";
import { LOCATION_FILE } from "@/server/db/embedded-relocate";

const dataDir = path.resolve(process.argv[2] ?? ".data");
const say = (line: string) => void process.stdout.write(`${line}\n`);
let initdbRuns = 0;
const logger = {
  info: (obj: object, msg?: string) => {
    if (msg?.startsWith("initialising")) initdbRuns++;
    say(`  ${msg ?? ""} ${JSON.stringify(obj)}`);
  },
  warn: (obj: object, msg?: string) => say(`  warning: ${msg ?? ""} ${JSON.stringify(obj)}`),
};

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startQueryStop(port: number, round: string): Promise<void> {
  const started = Date.now();
  let db: EmbeddedHandle | null = null;
  try {
    db = await startEmbeddedPostgres({ dataDir, port, database: "salestrack", logger });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ one: number }>("select 1 as one");
    await client.end();
    if (rows[0]?.one !== 1) throw new Error(`select 1 returned ${JSON.stringify(rows)}`);
    say(`${round} start: select 1 ok (${Date.now() - started} ms)`);
  } finally {
    await db?.stop();
  }
}

async function relocatedCluster(): Promise<string | null> {
  const file = path.join(dataDir, LOCATION_FILE);
  if (!existsSync(file)) return null;
  return (JSON.parse(await readFile(file, "utf8")) as { clusterDir: string }).clusterDir;
}

async function main(): Promise<void> {
  // A hung start must fail the CI step, not stall it; exiting stops the server too.
  setTimeout(() => {
    say("FAILED: the embedded PostgreSQL did not start within 100 s");
    process.exit(1);
  }, 100_000).unref();

  const port = await sparePort();
  say(`data dir ${dataDir}, port ${port}`);
  try {
    await startQueryStop(port, "first");
    const cluster = await relocatedCluster();
    if (process.getuid?.() === 0 && !cluster)
      say("note: the postgres OS user can reach this folder; the cluster stayed in place");
    else if (cluster) say(`cluster kept in ${cluster} (recorded in ${LOCATION_FILE})`);
    await startQueryStop(port, "second");
    if ((await relocatedCluster()) !== cluster || initdbRuns > 1)
      throw new Error("the second start did not find the first start's cluster");
  } finally {
    const cluster = await relocatedCluster();
    if (cluster) await rm(cluster, { recursive: true, force: true });
  }
  say("embedded PostgreSQL start ok");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
