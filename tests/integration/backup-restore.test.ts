/**
 * `npm run cli -- backup` and `restore`, as real child processes: a freshly migrated database
 * seeded with three tenants' rows is backed up (pg_dump custom format), restored into a new
 * database, and every tenant table compared per workspace — row count and an md5 of its rows
 * in a fixed order. A non-empty target is refused.
 *
 * pg_dump must be at least the server's major version. The test server (embedded) is used
 * when such a pg_dump is installed; otherwise the test starts a throw-away server from the
 * folder of the newest pg_dump found (e.g. Debian's /usr/lib/postgresql/15/bin), so the
 * commands are exercised either way.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunner, type Runner } from "@/server/db/embedded-runner";
import { runMigrations } from "@/server/db/migrate";
import { findPgTools, requirePgTool, serverMajor } from "../../scripts/cli/pg-tools";

type Server = { url: (db: string) => string; stop: () => Promise<void> };

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A server some installed pg_dump can back up, or null (the test is then skipped). */
async function serverForBackups(): Promise<Server | null> {
  const testUrl = process.env.DATABASE_URL!;
  const dumps = await findPgTools("pg_dump");
  if (dumps.length > 0 && dumps[0]!.major >= (await serverMajor(testUrl))) {
    return { url: (db) => withDatabase(testUrl, db), stop: async () => undefined };
  }
  const binDir = dumps
    .map((t) => path.dirname(t.path))
    .find((d) => existsSync(path.join(d, "postgres")) && existsSync(path.join(d, "initdb")));
  if (!binDir) return null;
  const root = await mkdtemp(path.join(tmpdir(), "st-backup-"));
  await chmod(root, 0o755);
  const asRoot = process.getuid?.() === 0;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  const user = asRoot
    ? { uid: id("-u"), gid: id("-g") }
    : { uid: process.getuid!(), gid: process.getgid!() };
  const port = await freePort();
  const password = randomUUID();
  const runner: Runner = createRunner({
    binDir,
    clusterDir: path.join(root, "cluster"),
    port,
    user,
    dbUser: "postgres",
    password,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
  });
  await runner.initialise();
  await runner.start();
  return {
    url: (db) => `postgres://postgres:${password}@127.0.0.1:${port}/${db}`,
    stop: async () => {
      await runner.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/cli.ts", ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A few rows in most tenant tables, for three workspaces (written as the owner). */
async function seed(c: pg.Client): Promise<string[]> {
  const workspaceIds: string[] = [];
  for (let t = 0; t < 3; t++) {
    const { rows: ws } = await c.query<{ id: string }>(
      "insert into workspace (name, slug) values ($1, $2) returning id",
      [`Tenant ${t} — Año ✓`, `tenant-${t}-${randomUUID().slice(0, 6)}`],
    );
    const workspaceId = ws[0]!.id;
    workspaceIds.push(workspaceId);
    const { rows: users } = await c.query<{ id: string }>(
      `insert into "user" (sub, email, name) values ($1, $2, $3) returning id`,
      [`sub-${randomUUID()}`, `owner-${t}@example.test`, `Owner ${t}`],
    );
    await c.query(
      "insert into membership (workspace_id, user_id, role, source) values ($1, $2, 'admin', 'owner')",
      [workspaceId, users[0]!.id],
    );
    const { rows: groups } = await c.query<{ id: string }>(
      "insert into contact_group (workspace_id, name) values ($1, 'VIP'), ($1, 'José') returning id",
      [workspaceId],
    );
    for (let i = 0; i < 20 + t * 5; i++) {
      const { rows: contact } = await c.query<{ id: string }>(
        `insert into contact (workspace_id, phone, nombre, attributes, source)
         values ($1, $2, $3, $4, 'csv') returning id`,
        [
          workspaceId,
          `+5959810${t}${String(i).padStart(4, "0")}`,
          `Contacto ${i} ñ`,
          JSON.stringify({ ciudad: i % 2 ? "Asunción" : "Luque" }),
        ],
      );
      await c.query(
        "insert into contact_group_member (workspace_id, group_id, contact_id) values ($1, $2, $3)",
        [workspaceId, groups[i % 2]!.id, contact[0]!.id],
      );
    }
    await c.query(
      `insert into audit_log (workspace_id, action, after) values ($1, 'test.seeded', $2)`,
      [workspaceId, JSON.stringify({ tenant: t })],
    );
  }
  return workspaceIds;
}

/** table → workspace → "count:md5" for every public table with a workspace_id column. */
async function fingerprint(url: string): Promise<Record<string, Record<string, string>>> {
  return withClient(url, async (c) => {
    const { rows: tables } = await c.query<{ table_name: string }>(
      `select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'workspace_id'
        order by table_name`,
    );
    const out: Record<string, Record<string, string>> = {};
    for (const { table_name: table } of tables) {
      const { rows } = await c.query<{ ws: string; n: number; sum: string }>(
        `select workspace_id::text as ws, count(*)::int as n,
                md5(string_agg(t::text, E'\\n' order by t::text)) as sum
           from "${table}" t group by workspace_id`,
      );
      out[table] = Object.fromEntries(rows.map((r) => [r.ws, `${r.n}:${r.sum}`]));
    }
    return out;
  });
}

describe("CLI: backup and restore", () => {
  let server: Server | null = null;
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const [source, target] = [`backup_src_${suffix}`, `backup_dst_${suffix}`];
  let dir: string;

  beforeAll(async () => {
    server = await serverForBackups();
    dir = await mkdtemp(path.join(tmpdir(), "st-dumps-"));
  }, 120_000);

  afterAll(async () => {
    if (server) {
      await withClient(server.url("postgres"), async (c) => {
        for (const db of [source, target]) {
          await c.query(`drop database if exists "${db}" with (force)`);
        }
      }).catch(() => undefined);
      await server.stop();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it(
    "restores a seeded database whose tenant tables match row for row",
    { timeout: 180_000 },
    async (ctx) => {
      // CI installs Debian's PostgreSQL 15 (.ci/run): there a missing server is a failure,
      // not a skip that would count as a pass.
      if (!server && process.env.CI)
        throw new Error("no pg_dump/postgres binaries found (apt-get install postgresql-15)");
      if (!server) ctx.skip();
      const s = server!;
      await withClient(s.url("postgres"), async (c) => {
        await c.query(`create database "${source}"`);
        await c.query(`create database "${target}"`);
      });
      await runMigrations(s.url(source));
      const workspaceIds = await withClient(s.url(source), seed);

      const file = path.join(dir, "salestrack.dump");
      const dumped = await cli(["backup", "--out", file], { DATABASE_URL: s.url(source) });
      expect(dumped.stderr).toMatch(/Backed up PostgreSQL/);
      expect(dumped.code).toBe(0);
      expect(dumped.stdout.trim()).toBe(file);
      expect((await stat(file)).size).toBeGreaterThan(1000);
      expect(existsSync(`${file}.partial`)).toBe(false);

      const restored = await cli(["restore", file, "--into", s.url(target)], {});
      expect(restored.stderr).toMatch(/Restored/);
      expect(restored.code).toBe(0);

      const [before, after] = [await fingerprint(s.url(source)), await fingerprint(s.url(target))];
      expect(Object.keys(before)).toContain("contact");
      for (const ws of workspaceIds) expect(before.contact![ws]).toMatch(/^(20|25|30):/);
      expect(after).toEqual(before);

      // Restored like the original: the app role still only sees its own tenant.
      const visible = await withClient(s.url(target), async (c) => {
        await c.query("begin");
        await c.query("set local role salestrack_app");
        await c.query("select set_config('app.workspace_id', $1, true)", [workspaceIds[1]]);
        const { rows } = await c.query<{ ws: string }>(
          "select distinct workspace_id::text as ws from contact",
        );
        await c.query("rollback");
        return rows.map((r) => r.ws);
      });
      expect(visible).toEqual([workspaceIds[1]]);

      // Restore never overwrites: the now-filled target is refused.
      const again = await cli(["restore", file, "--into", s.url(target)], {});
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not empty/);
    },
  );

  it("without a pg_dump as new as the server, says which version is needed and how to get it", async () => {
    await expect(requirePgTool("pg_dump", 99)).rejects.toThrow(
      /pg_dump 99 or newer is needed .*postgresql-client-99.*PG_BIN_DIR/,
    );
  });
});
