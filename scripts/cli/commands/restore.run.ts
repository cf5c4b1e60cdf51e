import path from "node:path";
import { runMigrations } from "@/server/db/migrate";
import { openQueueRestore } from "../app-archive/queue-restore";
import { detectFormat } from "../app-archive/records";
import { restoreInTransaction } from "../app-archive/restore";
import { verifyArchive } from "../app-archive/scan";
import { CliError, type CliIO } from "../command";
import { requirePgTool, splitPassword, toolEnv } from "../pg-tools";
import { clearTarget, connectTarget, prepareAppRole, refuseNonEmpty } from "../restore-target";
import { runTool } from "./backup.run";
import type { RestoreArgs } from "./restore";

function seconds(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

/**
 * pg_restore in one transaction of its own. With --force the target is cleared first, in a
 * transaction before it: a pg_restore that then fails leaves the target empty.
 */
async function restorePgDump(args: RestoreArgs, file: string, io: CliIO): Promise<void> {
  const pgRestore = await requirePgTool("pg_restore", 0);
  const client = await connectTarget(args.into, "salestrack-restore");
  try {
    await refuseNonEmpty(client, args.force);
    await client.query("begin");
    if (args.force) await clearTarget(client, { queueSchema: true });
    await prepareAppRole(client);
    await client.query("commit");
  } finally {
    await client.end();
  }
  const { url: dbname, password } = splitPassword(args.into);
  const started = Date.now();
  await runTool(
    pgRestore.path,
    ["--no-owner", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file],
    toolEnv(pgRestore, password),
  );
  // A backup taken by an older version of the app is brought up to this one's schema.
  await runMigrations(args.into);
  io.out(splitPassword(args.into).url);
  io.note(
    `Restored ${file} (pg_dump custom format) with ${pgRestore.path} (${pgRestore.major}) in ${seconds(started)}.`,
  );
}

async function restoreApp(args: RestoreArgs, file: string, io: CliIO): Promise<void> {
  // The whole file is read and checked once before the target is touched.
  const started = Date.now();
  const { header } = await verifyArchive(file);
  const client = await connectTarget(args.into, "salestrack-restore");
  try {
    await refuseNonEmpty(client, args.force);
    const queue = await openQueueRestore(args.into);
    try {
      const { plan, queued } = await restoreInTransaction(client, file, {
        force: args.force,
        queue,
      });
      const rows = header.tables.reduce((sum, t) => sum + t.rows, 0);
      io.out(splitPassword(args.into).url);
      io.note(
        `Restored ${file} (app archive of ${header.createdAt}, PostgreSQL ` +
          `${Math.floor(header.server.versionNum / 10_000)}): ${header.tables.length} tables, ` +
          `${rows} rows, ${queued.jobs} pending jobs, ${queued.schedules} schedules, checksums ` +
          `verified, ${plan.migrations.after.length} newer migrations applied, in ${seconds(started)}.`,
      );
    } finally {
      await queue.close();
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function run(args: RestoreArgs, io: CliIO): Promise<void> {
  const file = path.resolve(args.file);
  const format = await detectFormat(file);
  if (format === "pgdump") return restorePgDump(args, file, io);
  if (format === "app") return restoreApp(args, file, io);
  throw new CliError(
    `${file} is not a SalesTrack backup (neither pg_dump custom format nor an app archive)`,
  );
}
