/**
 * Shared by the backup/restore drills (backup-restore*.test.ts): the CLI as a child process,
 * a seed of three tenants written as the owner, and a fingerprint of every table.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export function cli(args: string[], env: Record<string, string> = {}) {
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

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export type SeededTenant = {
  workspaceId: string;
  userId: string;
  groupIds: string[];
  contactIds: string[];
};

/** A few rows in the identity and contact tables, for three workspaces (written as the owner). */
export async function seedTenants(c: pg.Client): Promise<SeededTenant[]> {
  const tenants: SeededTenant[] = [];
  for (let t = 0; t < 3; t++) {
    const { rows: ws } = await c.query<{ id: string }>(
      "insert into workspace (name, slug) values ($1, $2) returning id",
      [`Tenant ${t} — Año ✓`, `tenant-${t}-${randomUUID().slice(0, 6)}`],
    );
    const workspaceId = ws[0]!.id;
    const { rows: users } = await c.query<{ id: string }>(
      `insert into "user" (sub, email, name) values ($1, $2, $3) returning id`,
      [`sub-${randomUUID()}`, `owner-${t}-${randomUUID().slice(0, 6)}@example.test`, `Owner ${t}`],
    );
    await c.query(
      "insert into membership (workspace_id, user_id, role, source) values ($1, $2, 'admin', 'owner')",
      [workspaceId, users[0]!.id],
    );
    const { rows: groups } = await c.query<{ id: string }>(
      "insert into contact_group (workspace_id, name) values ($1, 'VIP'), ($1, 'José') returning id",
      [workspaceId],
    );
    const contactIds: string[] = [];
    for (let i = 0; i < 20 + t * 5; i++) {
      const { rows: contact } = await c.query<{ id: string }>(
        `insert into contact (workspace_id, phone, nombre, attributes, source)
         values ($1, $2, $3, $4, 'csv') returning id`,
        [
          workspaceId,
          `+5959810${t}${String(i).padStart(4, "0")}`,
          // Tab, backslash and a newline: COPY's text format must carry them through.
          i === 0 ? "Tab\there \\ back\nslash" : `Contacto ${i} ñ`,
          JSON.stringify({ ciudad: i % 2 ? "Asunción" : "Luque", nota: 'comillas "y" \\ barra' }),
        ],
      );
      contactIds.push(contact[0]!.id);
      await c.query(
        "insert into contact_group_member (workspace_id, group_id, contact_id) values ($1, $2, $3)",
        [workspaceId, groups[i % 2]!.id, contact[0]!.id],
      );
    }
    await c.query(
      `insert into audit_log (workspace_id, action, after) values ($1, 'test.seeded', $2)`,
      [workspaceId, JSON.stringify({ tenant: t })],
    );
    tenants.push({
      workspaceId,
      userId: users[0]!.id,
      groupIds: groups.map((g) => g.id),
      contactIds,
    });
  }
  return tenants;
}

/**
 * table → key → "count:md5". Every public table gets its row count under "*"; a tenant table
 * (one with workspace_id) also gets, per workspace, its count and an md5 of its rows' text in
 * a fixed order — equal only when every row is.
 */
export async function fingerprint(url: string): Promise<Record<string, Record<string, string>>> {
  return withClient(url, async (c) => {
    const { rows: tables } = await c.query<{ name: string; tenant: boolean }>(
      `select c.relname as name,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid
                       and a.attname = 'workspace_id' and not a.attisdropped) as tenant
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        order by 1`,
    );
    const out: Record<string, Record<string, string>> = {};
    for (const { name, tenant } of tables) {
      const { rows: total } = await c.query<{ n: number }>(
        `select count(*)::int as n from "${name}"`,
      );
      out[name] = { "*": String(total[0]!.n) };
      if (!tenant) continue;
      const { rows } = await c.query<{ ws: string; n: number; sum: string }>(
        `select workspace_id::text as ws, count(*)::int as n,
                md5(string_agg(t::text, E'\\n' order by t::text)) as sum
           from "${name}" t group by workspace_id`,
      );
      for (const r of rows) out[name]![r.ws] = `${r.n}:${r.sum}`;
    }
    return out;
  });
}
