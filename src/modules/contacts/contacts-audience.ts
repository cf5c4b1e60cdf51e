/**
 * The contacts a campaign reaches, as one SQL subquery the campaigns module builds on
 * set-based (materialize, preview) without reading contacts' tables itself. Columns:
 * contact_id, phone, nombre, sustantivo, attributes, opted_out, group_id, group_name
 * (the first of the audience's groups the contact is in, by name).
 */
import { sql, type SQL } from "drizzle-orm";

export type AudienceFilter = {
  groupIds: string[];
  excludeGroupIds: string[];
  sources: ("csv" | "manual" | "api")[];
};

const uuids = (ids: string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

export function audienceSql(workspaceId: string, filter: AudienceFilter): SQL {
  const conditions: SQL[] = [sql`c.workspace_id = ${workspaceId}`];
  if (filter.sources.length) {
    conditions.push(sql`c.source = any(${`{${filter.sources.join(",")}}`}::contact_source[])`);
  }
  if (filter.excludeGroupIds.length) {
    conditions.push(sql`not exists (select 1 from contact_group_member x
      where x.contact_id = c.id and x.group_id = any(${uuids(filter.excludeGroupIds)}))`);
  }
  const where = sql.join(conditions, sql` and `);
  if (filter.groupIds.length === 0) {
    return sql`select c.id as contact_id, c.phone, c.nombre, c.sustantivo, c.attributes,
        c.opted_out_at is not null as opted_out, null::uuid as group_id, null::text as group_name
      from contact c where ${where}`;
  }
  // Driven from the memberships of the chosen groups (their primary key leads with group_id).
  // The groups come in as one row of arrays ordered by name (a contact in several takes the
  // first): joined as a table instead, a rarely analyzed contact_group made the planner
  // expect ~1,000 members of 200,000 and nest-loop every step after it.
  const ids = uuids(filter.groupIds);
  return sql`select distinct on (c.id) c.id as contact_id, c.phone, c.nombre, c.sustantivo,
      c.attributes, c.opted_out_at is not null as opted_out, m.group_id, g.names[r.k] as group_name
    from contact_group_member m
    cross join (select array_agg(id order by lower(name), id) as ids,
                       array_agg(name order by lower(name), id) as names
                  from contact_group where workspace_id = ${workspaceId} and id = any(${ids})) g
    cross join lateral (select array_position(g.ids, m.group_id) as k) r
    join contact c on c.id = m.contact_id
    where m.group_id = any(${ids}) and r.k is not null and ${where}
    order by c.id, r.k`;
}
