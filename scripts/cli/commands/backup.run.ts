import { spawn } from "node:child_process";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { FILE_SUFFIX } from "../app-archive/format";
import { writeAppArchive } from "../app-archive/write";
import { CliError, type CliIO } from "../command";
import {
  findPgTools,
  requirePgTool,
  serverMajor,
  splitPassword,
  toolEnv,
  type PgTool,
} from "../pg-tools";
import type { BackupArgs, BackupFormat } from "./backup";

function defaultName(format: BackupFormat): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");
  return path.join("backups", `salestrack-${stamp}${format === "app" ? FILE_SUFFIX : ".dump"}`);
}

/** --format, or pg_dump when one fits the server, else the app archive (and why). */
async function choose(
  args: BackupArgs,
  major: number,
): Promise<{ format: "pgdump"; pgDump: PgTool } | { format: "app"; why: string }> {
  if (args.format === "pgdump")
    return { format: "pgdump", pgDump: await requirePgTool("pg_dump", major) };
  if (args.format === "app") return { format: "app", why: "--format app" };
  const found = await findPgTools("pg_dump");
  const pgDump = found.find((t) => t.major >= major);
  if (pgDump) return { format: "pgdump", pgDump };
  const seen = found.length ? `only ${found.map((t) => t.major).join(", ")} found` : "none found";
  return { format: "app", why: `no pg_dump ${major} or newer: ${seen}` };
}

export async function run(args: BackupArgs, io: CliIO): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new CliError("No database: set DATABASE_URL or use the embedded one");
  const major = await serverMajor(url);
  const choice = await choose(args, major);
  const out = path.resolve(args.out ?? defaultName(choice.format));
  await mkdir(path.dirname(out), { recursive: true });
  // Written aside and renamed when complete: a failed or interrupted backup never leaves a
  // file that looks like a good one.
  const partial = `${out}.partial`;
  const started = Date.now();
  let detail: string;
  try {
    if (choice.format === "pgdump") {
      const { url: dbname, password } = splitPassword(url);
      await runTool(
        choice.pgDump.path,
        ["--format=custom", "--compress=6", `--file=${partial}`, `--dbname=${dbname}`],
        toolEnv(choice.pgDump, password),
      );
      detail = `pg_dump custom format, with ${choice.pgDump.path} (${choice.pgDump.major})`;
    } else {
      const summary = await writeAppArchive(url, partial);
      detail =
        `app archive (${choice.why}): ${summary.tables} tables, ${summary.rows} rows, ` +
        `${summary.jobs} pending jobs, ${summary.schedules} schedules`;
    }
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  const { size } = await stat(out);
  io.out(out);
  io.note(
    `Backed up PostgreSQL ${major} as ${detail}: ` +
      `${(size / 1_048_576).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

/** Runs a PostgreSQL client tool; its stderr becomes the error message when it fails. */
export function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const child = spawn(file, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", (err) => reject(new CliError(`${path.basename(file)}: ${err.message}`)));
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new CliError(`${path.basename(file)} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}
