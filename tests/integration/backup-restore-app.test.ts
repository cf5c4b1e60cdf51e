/**
 * The app archive (`backup --format app`), on the suite's own server — the zero-config
 * embedded PostgreSQL 18, for which no pg_dump exists here. A seeded database (three tenants:
 * contacts, groups, a campaign with recipients and message events — one in a partition the
 * target lacks — a scheduled launch and a recurring schedule in pg-boss) is backed up,
 * restored into a fresh database and compared table by table. Damaged, truncated, foreign
 * and newer files, an unreachable and a non-empty target each end with one clear line, exit
 * code 1, and nothing restored.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { PgBoss } from "pg-boss";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "@/server/db/migrate";
import { JOBS } from "@jobs/registry";
import { MAGIC } from "../../scripts/cli/app-archive/format";
import { findPgTools, serverMajor } from "../../scripts/cli/pg-tools";
import {
  cli,
  fingerprint,
  seedTenants,
  withClient,
  withDatabase,
  type SeededTenant,
} from "./backup-restore-helpers";

const server = process.env.DATABASE_URL!;
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const db = (name: string) => `app_archive_${name}_${suffix}`;
const url = (name: string) => withDatabase(server, db(name));
const created: string[] = [];

async function createDatabase(name: string): Promise<string> {
  await withClient(withDatabase(server, "postgres"), (c) =>
    c.query(`create database "${db(name)}"`),
  );
  created.push(db(name));
  return url(name);
}

/** One line on stderr, exit code 1. */
function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

/** What a failed restore must leave: no app table, no migrations, no pg-boss schema. */
async function expectUntouched(target: string) {
  const state = await withClient(target, async (c) => {
    const { rows } = await c.query<{ tables: number; schemas: string[] }>(
      `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind in ('r', 'p')) as tables,
              array(select nspname::text from pg_namespace
                     where nspname in ('drizzle', 'pgboss') order by 1) as schemas`,
    );
    return rows[0]!;
  });
  expect(state).toEqual({ tables: 0, schemas: [] });
}

/** A bot, a sent campaign (recipients, events — one from January 2020) per tenant. */
async function seedCampaigns(c: pg.Client, tenants: SeededTenant[]) {
  // A partition the target's migrations will not create: restore must, or the row would land
  // in the default partition and block that month's partition for good.
  await c.query("select app_ensure_event_partitions('2020-01-01', '2020-01-01')");
  const campaigns: string[] = [];
  for (const [t, tenant] of tenants.entries()) {
    const { rows: bot } = await c.query<{ id: string }>(
      `insert into bot (workspace_id, name, kind) values ($1, 'Sandbox', 'sandbox') returning id`,
      [tenant.workspaceId],
    );
    const { rows: campaign } = await c.query<{ id: string }>(
      `insert into campaign (workspace_id, name, status, audience, templates, bot_ids, total, launched_at)
       values ($1, $2, 'completed', $3, $4, array[$5::uuid], $6, now() - interval '1 day')
       returning id`,
      [
        tenant.workspaceId,
        `Promo ${t}`,
        JSON.stringify({ groupIds: tenant.groupIds }),
        JSON.stringify([{ kind: "text", body: "Hola {{nombre}}" }]),
        bot[0]!.id,
        tenant.contactIds.length,
      ],
    );
    campaigns.push(campaign[0]!.id);
    await c.query(
      `insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, nombre, bot_id, status, sent_at)
       select ct.workspace_id, $2, gen_random_uuid(), ct.id, ct.phone, ct.nombre, $3,
              (array['sent', 'delivered', 'read', 'failed'])[1 + (row_number() over (order by ct.id))::int % 4]::recipient_status,
              now() - interval '1 hour'
         from contact ct where ct.workspace_id = $1`,
      [tenant.workspaceId, campaign[0]!.id, bot[0]!.id],
    );
    await c.query(
      `insert into message_event (workspace_id, occurred_at, campaign_id, recipient_id, bot_id, type, detail)
       select r.workspace_id, now() - (n || ' minutes')::interval, r.campaign_id, r.id, r.bot_id, e, $3
         from campaign_recipient r, unnest(array['queued', 'sent']) with ordinality as x(e, n)
        where r.workspace_id = $1 and r.campaign_id = $2`,
      [tenant.workspaceId, campaign[0]!.id, JSON.stringify({ via: "seed" })],
    );
    await c.query(
      `insert into message_event (workspace_id, occurred_at, campaign_id, type, code)
       values ($1, '2020-01-15T12:00:00Z', $2, 'failed', 'legacy')`,
      [tenant.workspaceId, campaign[0]!.id],
    );
    await c.query(
      `insert into suppression (workspace_id, phone, source, reason) values ($1, '+595981999999', 'inbound', 'BAJA')`,
      [tenant.workspaceId],
    );
  }
  return campaigns;
}

describe("CLI: app archive backup and restore", () => {
  let dir: string;
  let source: string;
  let tenants: SeededTenant[];
  let archive: string;
  let pending: { jobId: string; campaignId: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "st-archive-"));
    source = await createDatabase("src");
    await runMigrations(source);
    tenants = await withClient(source, seedTenants);
    const campaigns = await withClient(source, (c) => seedCampaigns(c, tenants));

    // pg-boss in the source, as the app leaves it: a launch "at" a time, a recurring
    // campaign's cron, and a finished job (history: not carried).
    const boss = new PgBoss({ connectionString: source, supervise: false, schedule: false });
    boss.on("error", () => undefined);
    await boss.start();
    for (const job of JOBS) await boss.createQueue(job.name, job.options);
    const startAfter = new Date(Date.now() + 86_400_000);
    const jobId = (await boss.send(
      "campaign.materialize",
      { workspaceId: tenants[0]!.workspaceId, campaignId: campaigns[0] },
      { startAfter },
    ))!;
    await boss.schedule(
      "campaign.fire",
      "0 9 * * 1",
      { workspaceId: tenants[1]!.workspaceId, campaignId: campaigns[1] },
      { tz: "America/Asuncion", key: campaigns[1]! },
    );
    await boss.send("maintenance.retention", {});
    const [done] = await boss.fetch("maintenance.retention");
    await boss.complete("maintenance.retention", done!.id);
    await boss.stop({ graceful: false, close: true });
    pending = { jobId, campaignId: campaigns[1]! };

    archive = path.join(dir, "st.archive.gz");
    const dumped = await cli(["backup", "--format", "app", "--out", archive], {
      DATABASE_URL: source,
    });
    expect(dumped.stderr).toMatch(/Backed up PostgreSQL 1\d as app archive \(--format app\)/);
    expect(dumped.code).toBe(0);
    expect(dumped.stdout.trim()).toBe(archive);
  }, 180_000);

  afterAll(async () => {
    await withClient(withDatabase(server, "postgres"), async (c) => {
      for (const name of created) await c.query(`drop database if exists "${name}" with (force)`);
    }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a gzip stream with the magic line and no partial file", async () => {
    expect((await stat(archive)).size).toBeGreaterThan(1000);
    expect(existsSync(`${archive}.partial`)).toBe(false);
    const text = gunzipSync(await readFile(archive));
    expect(text.subarray(0, MAGIC.length).toString("latin1")).toBe(MAGIC);
  });

  it(
    "restores into a fresh database: every table's rows, sequences, partitions, RLS and pending jobs",
    { timeout: 120_000 },
    async () => {
      const target = await createDatabase("dst");
      const restored = await cli(["restore", archive, "--into", target]);
      expect(restored.stderr).toMatch(/Restored .*app archive.*checksums verified/);
      expect(restored.code).toBe(0);

      const [before, after] = [await fingerprint(source), await fingerprint(target)];
      expect(after).toEqual(before);
      for (const table of ["contact", "contact_group", "contact_group_member", "campaign"]) {
        for (const t of tenants) expect(before[table]![t.workspaceId]).toMatch(/^\d+:/);
      }
      expect(Number(before.campaign_recipient!["*"])).toBe(75);
      expect(Number(before.message_event!["*"])).toBe(75 * 2 + 3);

      const probe = async (c: pg.Client) => {
        const { rows } = await c.query<Record<string, unknown>>(
          `select (select last_value::text from message_event_id_seq) as event_seq,
                  (select last_value::text from audit_log_id_seq) as audit_seq,
                  (select count(*)::int from message_event_2020_01) as jan_2020,
                  (select count(*)::int from message_event_default) as in_default,
                  has_table_privilege('salestrack_app', 'message_event_2020_01', 'select') as app_reads_partition,
                  (select count(*)::int from contact_search_token) as search_tokens`,
        );
        return rows[0];
      };
      const [src, dst] = [await withClient(source, probe), await withClient(target, probe)];
      expect(dst).toEqual(src);
      expect(dst).toMatchObject({ jan_2020: 3, in_default: 0, app_reads_partition: false });

      // Restored like the original: the app role still only sees its own tenant.
      const visible = await withClient(target, async (c) => {
        await c.query("begin");
        await c.query("set local role salestrack_app");
        await c.query("select set_config('app.workspace_id', $1, true)", [tenants[1]!.workspaceId]);
        const { rows } = await c.query<{ ws: string }>(
          "select distinct workspace_id::text as ws from contact",
        );
        await c.query("rollback");
        return rows.map((r) => r.ws);
      });
      expect(visible).toEqual([tenants[1]!.workspaceId]);

      // The triggers are back on: a new contact gets its search tokens.
      const tokens = await withClient(target, async (c) => {
        await c.query(
          `insert into contact (workspace_id, phone, nombre, source) values ($1, '+595981777777', 'Zacarías', 'manual')`,
          [tenants[0]!.workspaceId],
        );
        const { rows } = await c.query<{ n: number }>(
          `select count(*)::int as n from contact_search_token t join contact c on c.id = t.contact_id
            where c.phone = '+595981777777'`,
        );
        return rows[0]!.n;
      });
      expect(tokens).toBeGreaterThan(0);

      // The pending launch and the recurring schedule came along; the finished job did not.
      const queue = await withClient(target, async (c) => {
        const { rows: jobs } = await c.query<{ id: string; name: string; state: string }>(
          "select id::text, name, state::text from pgboss.job order by name",
        );
        const { rows: schedules } = await c.query<{ name: string; key: string; cron: string }>(
          "select name, key, cron, timezone from pgboss.schedule order by name",
        );
        return { jobs, schedules };
      });
      expect(queue.jobs).toEqual([
        { id: pending.jobId, name: "campaign.materialize", state: "created" },
      ]);
      expect(queue.schedules).toEqual([
        {
          name: "campaign.fire",
          key: pending.campaignId,
          cron: "0 9 * * 1",
          timezone: "America/Asuncion",
        },
      ]);

      // Not into a database that holds the app…
      const again = await cli(["restore", archive, "--into", target]);
      expectOneLineError(again, /not empty .*--force/);
      // …unless told to replace it: the result is the archive again, jobs not doubled.
      const forced = await cli(["restore", archive, "--into", target, "--force"]);
      expect(forced.code).toBe(0);
      expect(await fingerprint(target)).toEqual(before);
      const jobs = await withClient(target, (c) =>
        c.query<{ n: number }>("select count(*)::int as n from pgboss.job"),
      );
      expect(jobs.rows[0]!.n).toBe(1);
    },
  );

  it("picks pg_dump only when one is as new as the server", { timeout: 60_000 }, async () => {
    const major = await serverMajor(source);
    const fits = (await findPgTools("pg_dump")).some((t) => t.major >= major);
    const file = path.join(dir, "default.out");
    const result = await cli(["backup", "--out", file], { DATABASE_URL: source });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      fits
        ? /as pg_dump custom format/
        : new RegExp(`as app archive \\(no pg_dump ${major} or newer`),
    );
  });

  it(
    "refuses a truncated or tampered archive before touching the target",
    { timeout: 90_000 },
    async () => {
      const bytes = await readFile(archive);
      const truncated = path.join(dir, "truncated.archive.gz");
      await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const target = await createDatabase("truncated");
      expectOneLineError(
        await cli(["restore", truncated, "--into", target]),
        /damaged or truncated.*nothing was restored/,
      );
      await expectUntouched(target);

      // Intact gzip, one character of a contact's name changed: the checksum catches it.
      const text = gunzipSync(bytes);
      const at = text.indexOf("Contacto 7 ñ");
      expect(at).toBeGreaterThan(0);
      const tampered = Buffer.from(text);
      tampered.write("Contacto 8", at, "utf8");
      const tamperedFile = path.join(dir, "tampered.archive.gz");
      await writeFile(tamperedFile, gzipSync(tampered));
      expectOneLineError(
        await cli(["restore", tamperedFile, "--into", target]),
        /checksum of table \w+ does not match.*nothing was restored/,
      );
      await expectUntouched(target);
    },
  );

  it(
    "rolls everything back when the restore fails inside the target",
    { timeout: 60_000 },
    async () => {
      // A type in the way of migration 0008: the failure comes after earlier migrations ran.
      const target = await createDatabase("blocked");
      await withClient(target, (c) => c.query("create type public.bot_kind as enum ('other')"));
      const result = await cli(["restore", archive, "--into", target]);
      expectOneLineError(result, /bot_kind.*already exists/);
      const left = await withClient(target, async (c) => {
        const { rows } = await c.query<{ tables: number; drizzle: boolean; labels: string[] }>(
          `select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r', 'p')) as tables,
                to_regnamespace('drizzle') is not null as drizzle,
                enum_range(null::public.bot_kind)::text[] as labels`,
        );
        return rows[0];
      });
      expect(left).toEqual({ tables: 0, drizzle: false, labels: ["other"] });
    },
  );

  it("says what is wrong in one line for bad files and targets", { timeout: 90_000 }, async () => {
    const target = await createDatabase("errors");
    expectOneLineError(
      await cli(["restore", path.join(dir, "missing.archive.gz"), "--into", target]),
      /No such file/,
    );
    const text = path.join(dir, "notes.txt");
    await writeFile(text, "just some notes\n");
    expectOneLineError(await cli(["restore", text, "--into", target]), /not a SalesTrack backup/);

    const record = (kind: string, value: unknown) => {
      const body = Buffer.from(JSON.stringify(value));
      const head = Buffer.alloc(5);
      head.write(kind, 0, "latin1");
      head.writeUInt32BE(body.length, 1);
      return Buffer.concat([head, body]);
    };
    const newer = path.join(dir, "newer.archive.gz");
    await writeFile(
      newer,
      gzipSync(Buffer.concat([Buffer.from(MAGIC), record("H", { formatVersion: 99 })])),
    );
    expectOneLineError(
      await cli(["restore", newer, "--into", target]),
      /format 99; .*restore it with a newer SalesTrack/,
    );

    const nowhere = withDatabase(`postgres://nobody:${randomUUID()}@127.0.0.1:1/`, "x");
    const unreachable = await cli(["restore", archive, "--into", nowhere]);
    expectOneLineError(unreachable, /Cannot reach the target database postgres:\/\/nobody@127/);
    expect(unreachable.stderr).not.toContain(new URL(nowhere).password);
    await expectUntouched(target);
  });
});
