import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedHandle } from "../src/server/db/embedded";
import { runMigrations } from "../src/server/db/migrate";

const quiet = { info: () => undefined, warn: () => undefined };

/**
 * A fresh database for a benchmark: BENCH_DATABASE_URL's server when set, else an embedded
 * Postgres under .data/bench (port 54330, BENCH_PG_PORT). Sets process.env.DATABASE_URL before the app's
 * modules are imported.
 */
export async function freshBenchDatabase(
  name: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  let embedded: EmbeddedHandle | null = null;
  let server = process.env.BENCH_DATABASE_URL;
  if (!server) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data/bench"),
      port: Number(process.env.BENCH_PG_PORT ?? 54330),
      database: "postgres",
      logger: quiet,
    });
    server = embedded.url;
  }
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  const url = u.toString();
  await runMigrations(url);
  process.env.DATABASE_URL = url;
  process.env.LOG_LEVEL ??= "warn";
  return { url, stop: async () => void (await embedded?.stop()) };
}

/**
 * Without BENCH_DATABASE_URL, a Postgres of a benchmark's own (`.data/<dir>`, `port` or the
 * env var `portVar` names), so another benchmark may hold .data/bench meanwhile; it becomes
 * BENCH_DATABASE_URL for `freshBenchDatabase`. Null when BENCH_DATABASE_URL is set.
 */
export async function ownBenchServer(
  dir: string,
  portVar: string,
  port: number,
): Promise<EmbeddedHandle | null> {
  if (process.env.BENCH_DATABASE_URL) return null;
  const server = await startEmbeddedPostgres({
    dataDir: path.resolve(".data", dir),
    port: Number(process.env[portVar] ?? port),
    database: "postgres",
    logger: quiet,
  });
  process.env.BENCH_DATABASE_URL = server.url;
  return server;
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
