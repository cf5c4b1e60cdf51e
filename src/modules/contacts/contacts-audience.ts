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
  return sql`select distinct on (c.id) c.id as contact_id, c.phone, c.nombre, c.sustantivo,
      c.attributes, c.opted_out_at is not null as opted_out, g.id as group_id, g.name as group_name
    from contact_group_member m
    join contact_group g on g.id = m.group_id and g.workspace_id = ${workspaceId}
    join contact c on c.id = m.contact_id
    where m.group_id = any(${uuids(filter.groupIds)}) and ${where}
    order by c.id, lower(g.name)`;
}
