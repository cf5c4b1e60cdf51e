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
