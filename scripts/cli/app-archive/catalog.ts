/**
 * What an app archive holds, read from the source's catalog inside the backup's snapshot:
 * every table of the public schema (a partitioned table as its parent, with its partitions'
 * bounds), in foreign-key order, and the sequences.
 */
import type pg from "pg";
import { CliError } from "../command";
import { qualified, type ArchiveHeader, type ArchiveTable } from "./format";

/** The role drizzle/0001 creates: a partition's direct grants to it are kept. */
const APP_ROLE = "salestrack_app";

/** Kahn's order over `parent → child` edges; ties (and independent tables) by name. */
export function foreignKeyOrder(names: string[], edges: { child: string; parent: string }[]) {
  const pending = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of edges) {
    if (child !== parent && pending.has(child) && pending.has(parent)) {
      pending.get(child)!.add(parent);
    }
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, parents]) => parents.size === 0).map(([n]) => n);
    if (ready.length === 0) {
      throw new CliError(
        `Tables reference each other in a cycle (${[...pending.keys()].join(", ")}): ` +
          "no order restores them; use --format pgdump",
      );
    }
    for (const name of ready.sort()) {
      order.push(name);
      pending.delete(name);
      for (const parents of pending.values()) parents.delete(name);
    }
  }
  return order;
}

/** The tables, locked against DDL, with their columns, row counts and partitions. */
export async function readTables(client: pg.ClientBase): Promise<ArchiveTable[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`,
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
       join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
      where k.contype = 'f' and cn.nspname = 'public' and pn.nspname = 'public'`,
  );
  // As pg_dump does: no DDL on them until the snapshot is read (the migrations' table too).
  await client.query(
    `lock table ${["drizzle.__drizzle_migrations", ...tables.map((t) => qualified(t.name))].join(", ")} in access share mode`,
  );
  const out: ArchiveTable[] = [];
  for (const name of foreignKeyOrder(
    tables.map((t) => t.name),
    edges,
  )) {
    const rel = qualified(name);
    // Generated columns are computed again by the target; they cannot be copied in.
    const { rows: columns } = await client.query<{ name: string }>(
      `select attname as name from pg_attribute
        where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''
        order by attnum`,
      [rel],
    );
    const { rows: count } = await client.query<{ n: string }>(
      `select count(*)::text as n from ${rel}`,
    );
    const { rows: partitions } = await client.query<{
      name: string;
      bound: string;
      app_privileges: string[];
    }>(
      `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound,
              coalesce((select array_agg(x.privilege_type order by x.privilege_type)
                          from aclexplode(c.relacl) x join pg_roles r on r.oid = x.grantee
                         where r.rolname = $2), '{}') as app_privileges
         from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = $1::regclass
        order by c.relname`,
      [rel, APP_ROLE],
    );
    out.push({
      name,
      columns: columns.map((c) => c.name),
      rows: Number(count[0]!.n),
      partitions: partitions.map((p) => ({
        name: p.name,
        bound: p.bound,
        appPrivileges: p.app_privileges,
      })),
    });
  }
  return out;
}

export async function readSequences(client: pg.ClientBase): Promise<ArchiveHeader["sequences"]> {
  const { rows: names } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
  );
  const out: ArchiveHeader["sequences"] = [];
  for (const { name } of names) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${qualified(name)}`,
    );
    out.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return out;
}
