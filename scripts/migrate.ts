/**
 * `npm run db:migrate`: applies pending migrations (drizzle/) to DATABASE_URL, or to the
 * embedded PostgreSQL under DATA_DIR when it is not set — the database `npm start` and
 * `npm run cli` use, resolved the same way (started for the run when it is not running).
 * Migrations hold an advisory lock, so this is safe beside running app processes.
 *
 * Exit codes: 0 up to date, 1 failed (message on stderr).
 */
import { prepareDatabase } from "./cli/infra";

const note = (line: string) => void process.stderr.write(`${line}\n`);
const verbose = process.argv.includes("--verbose");

async function main() {
  const infra = await prepareDatabase({ note, verbose });
  try {
    note("migrations applied");
  } finally {
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    note(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (verbose && err instanceof Error) note(err.stack ?? "");
    process.exit(1);
  },
);
