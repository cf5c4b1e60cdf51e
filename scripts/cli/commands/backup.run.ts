import { spawn } from "node:child_process";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { CliError, type CliIO } from "../command";
import { requirePgTool, serverMajor, splitPassword, toolEnv } from "../pg-tools";
import type { BackupArgs } from "./backup";

function defaultName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");
  return path.join("backups", `salestrack-${stamp}.dump`);
}

export async function run(args: BackupArgs, io: CliIO): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new CliError("No database: set DATABASE_URL or use the embedded one");
  const major = await serverMajor(url);
  const pgDump = await requirePgTool("pg_dump", major);
  const out = path.resolve(args.out ?? defaultName());
  await mkdir(path.dirname(out), { recursive: true });
  // Written aside and renamed when complete: a failed or interrupted backup never leaves a
  // file that looks like a good one.
  const partial = `${out}.partial`;
  const { url: dbname, password } = splitPassword(url);
  const started = Date.now();
  try {
    await runTool(
      pgDump.path,
      ["--format=custom", "--compress=6", `--file=${partial}`, `--dbname=${dbname}`],
      toolEnv(pgDump, password),
    );
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  const { size } = await stat(out);
  io.out(out);
  io.note(
    `Backed up PostgreSQL ${major} with ${pgDump.path} (${pgDump.major}): ` +
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
