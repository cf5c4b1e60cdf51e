/**
 * `npm run cli -- backup` and `restore`, as real child processes: a freshly migrated database
 * seeded with three tenants' rows is backed up (pg_dump custom format), restored into a new
 * database, and every tenant table compared per workspace — row count and an md5 of its rows
 * in a fixed order. A non-empty target is refused.
 *
 * pg_dump must be at least the server's major version. The test server (embedded) is used
 * when such a pg_dump is installed; otherwise the test starts a throw-away server from the
 * folder of the newest pg_dump found (e.g. Debian's /usr/lib/postgresql/15/bin), so the
 * commands are exercised either way. There, an app archive of the suite's own server (the
 * embedded PostgreSQL 18) is also restored into that older server.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunner, type Runner } from "@/server/db/embedded-runner";
import { runMigrations } from "@/server/db/migrate";
import { findPgTools, requirePgTool, serverMajor } from "../../scripts/cli/pg-tools";
import { cli, fingerprint, seedTenants, withClient, withDatabase } from "./backup-restore-helpers";

type Server = { url: (db: string) => string; stop: () => Promise<void> };

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

describe("CLI: backup and restore", () => {
  let server: Server | null = null;
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const [source, target] = [`backup_src_${suffix}`, `backup_dst_${suffix}`];
  const [appSource, appTarget] = [`archive_src_${suffix}`, `archive_dst_${suffix}`];
  const suite = process.env.DATABASE_URL!;
  let dir: string;

  beforeAll(async () => {
    server = await serverForBackups();
    dir = await mkdtemp(path.join(tmpdir(), "st-dumps-"));
  }, 120_000);

  afterAll(async () => {
    if (server) {
      await withClient(server.url("postgres"), async (c) => {
        for (const db of [source, target, appTarget]) {
          await c.query(`drop database if exists "${db}" with (force)`);
        }
      }).catch(() => undefined);
      await server.stop();
    }
    await withClient(withDatabase(suite, "postgres"), (c) =>
      c.query(`drop database if exists "${appSource}" with (force)`),
    ).catch(() => undefined);
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
      const tenants = await withClient(s.url(source), seedTenants);
      const workspaceIds = tenants.map((t) => t.workspaceId);

      const file = path.join(dir, "salestrack.dump");
      const dumped = await cli(["backup", "--format", "pgdump", "--out", file], {
        DATABASE_URL: s.url(source),
      });
      expect(dumped.stderr).toMatch(/Backed up PostgreSQL \d+ as pg_dump custom format/);
      expect(dumped.code).toBe(0);
      expect(dumped.stdout.trim()).toBe(file);
      expect((await stat(file)).size).toBeGreaterThan(1000);
      expect(existsSync(`${file}.partial`)).toBe(false);

      const restored = await cli(["restore", file, "--into", s.url(target)]);
      expect(restored.stderr).toMatch(/Restored .*pg_dump custom format/);
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

      // Restore never overwrites: the now-filled target is refused…
      const again = await cli(["restore", file, "--into", s.url(target)]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not empty/);
      // …unless told to replace it (after a change, which the replacement undoes).
      await withClient(s.url(target), (c) => c.query("delete from contact_group_member"));
      const forced = await cli(["restore", file, "--into", s.url(target), "--force"]);
      expect(forced.stderr).toMatch(/Restored .*pg_dump custom format/);
      expect(forced.code).toBe(0);
      expect(await fingerprint(s.url(target))).toEqual(before);
    },
  );

  it(
    "restores an app archive of the suite's server into that older one",
    { timeout: 180_000 },
    async (ctx) => {
      // Only when the server above is a throw-away one of another (older) version.
      if (!server || (await serverMajor(server.url("postgres"))) >= (await serverMajor(suite)))
        ctx.skip();
      const s = server!;
      await withClient(withDatabase(suite, "postgres"), (c) =>
        c.query(`create database "${appSource}"`),
      );
      await withClient(s.url("postgres"), (c) => c.query(`create database "${appTarget}"`));
      await runMigrations(withDatabase(suite, appSource));
      await withClient(withDatabase(suite, appSource), seedTenants);

      const file = path.join(dir, "salestrack.archive.gz");
      const dumped = await cli(["backup", "--format", "app", "--out", file], {
        DATABASE_URL: withDatabase(suite, appSource),
      });
      expect(dumped.code).toBe(0);
      const restored = await cli(["restore", file, "--into", s.url(appTarget)]);
      expect(restored.stderr).toMatch(/Restored .*app archive.*checksums verified/);
      expect(restored.code).toBe(0);
      expect(await fingerprint(s.url(appTarget))).toEqual(
        await fingerprint(withDatabase(suite, appSource)),
      );
    },
  );

  it("without a pg_dump as new as the server, says which version is needed and how to get it", async () => {
    await expect(requirePgTool("pg_dump", 99)).rejects.toThrow(
      /pg_dump 99 or newer is needed .*postgresql-client-99.*PG_BIN_DIR/,
    );
  });
});
