/**
 * A stats dataset with known answers, written as the owner: a workspace in a given time zone
 * with groups, contacts, two bots, two campaigns, recipients and message events at chosen
 * instants (day, month and quarter-hour boundaries of that zone, and the last hours).
 */
import { sql } from "drizzle-orm";
import { bots } from "@/modules/bots/bots.table";
import { campaigns } from "@/modules/campaigns/campaigns.table";
import { systemDb } from "@/server/db/client";
import { addMember, createUser, createWorkspace } from "./fixtures";
import { phones, seedContacts } from "./campaigns";
import type { Tenant } from "./import";

export type StatsDataset = Tenant & {
  groupIds: string[];
  botIds: string[];
  campaignIds: string[];
  contactIds: string[];
};

export async function statsTenant(timeZone: string): Promise<StatsDataset> {
  const [workspace, user] = await Promise.all([
    createWorkspace({ defaultCountry: "PY", timeZone }),
    createUser(),
  ]);
  await addMember(workspace, user, "admin", "owner");
  const db = systemDb();
  const numbers = phones(6);
  const groups = await seedContacts(
    workspace.id,
    numbers.map((phone, i) => ({ phone, nombre: `P${i}`, groups: [i % 2 ? "Norte" : "Sur"] })),
  );
  const botRows = await db
    .insert(bots)
    .values(
      ["Uno", "Dos"].map((name) => ({ workspaceId: workspace.id, name, kind: "sandbox" as const })),
    )
    .returning({ id: bots.id });
  const campaignRows = await db
    .insert(campaigns)
    .values(
      ["Octubre", "Noviembre"].map((name) => ({
        workspaceId: workspace.id,
        name,
        status: "completed" as const,
        audience: { groupIds: [], excludeGroupIds: [], sources: [] },
        templates: [{ kind: "text" as const, body: "Hola" }],
        botIds: botRows.map((b) => b.id),
      })),
    )
    .returning({ id: campaigns.id });
  const { rows: contactRows } = await db.execute<{ id: string }>(
    sql`select id from contact where workspace_id = ${workspace.id} order by phone`,
  );
  return {
    workspace,
    user,
    workspaceId: workspace.id,
    userId: user.id,
    groupIds: [groups.get("Sur")!, groups.get("Norte")!],
    botIds: botRows.map((b) => b.id),
    campaignIds: campaignRows.map((c) => c.id),
    contactIds: contactRows.map((c) => c.id),
  };
}

/**
 * One recipient per contact in each campaign (group by contact parity, bot by index), then
 * an event per `at` × type: `sent` always, `failed` (code by position) every third, and
 * `delivered`/`read` for some — cycling over recipients so every key gets some.
 */
export async function writeEvents(d: StatsDataset, instants: Date[]) {
  const db = systemDb();
  await db.execute(sql`
    insert into campaign_recipient (workspace_id, campaign_id, id, contact_id, phone, group_id, bot_id, status)
    select c.workspace_id, camp.id, gen_random_uuid(), c.id, c.phone,
           (select m.group_id from contact_group_member m where m.workspace_id = c.workspace_id and m.contact_id = c.id limit 1),
           (${sql.param(d.botIds)}::uuid[])[1 + (row_number() over (partition by camp.id order by c.phone))::int % 2],
           'sent'
      from contact c cross join (select unnest(${sql.param(d.campaignIds)}::uuid[]) as id) camp
     where c.workspace_id = ${d.workspaceId}
    on conflict do nothing`);
  await db.execute(sql`
    with r as (
      select *, row_number() over (order by campaign_id, phone) - 1 as n, count(*) over () as total
        from campaign_recipient where workspace_id = ${d.workspaceId}
    ),
    at as (select t, i - 1 as i from unnest(${sql.param(instants.map((t) => t.toISOString()))}::timestamptz[]) with ordinality u(t, i))
    insert into message_event (workspace_id, occurred_at, campaign_id, recipient_id, bot_id, type, code)
    select r.workspace_id, at.t, r.campaign_id, r.id, r.bot_id, e.type, e.code
      from at join r on r.n = at.i % r.total
      cross join lateral (values ('sent', null::text, true),
                                 ('failed', case when at.i % 2 = 0 then 'wa_131026' else 'sandbox_failed' end, at.i % 3 = 0),
                                 ('delivered', null, at.i % 3 <> 0),
                                 ('read', null, at.i % 4 = 1),
                                 ('retry', 'rate_limited', at.i % 5 = 0)) e(type, code, happens)
     where e.happens`);
}

export type RawContactTotals = {
  contact_id: string;
  group_id: string;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  last_at: string;
};

/**
 * Per contact over local days `from`..`to` of `timeZone`, straight from message_event (the
 * four types the contact counters count): counts, the latest group (ties broken as the fold
 * breaks them) and the last time, ordered by contact.
 */
export async function rawPerContact(
  d: StatsDataset,
  timeZone: string,
  { from, to }: { from: string; to: string },
): Promise<RawContactTotals[]> {
  const { rows } = await systemDb().execute<RawContactTotals>(sql`
    select r.contact_id,
           (array_agg(r.group_id order by e.occurred_at desc, r.group_id desc, r.phone desc))[1] as group_id,
           count(*) filter (where e.type = 'sent')::int as sent,
           count(*) filter (where e.type = 'failed')::int as failed,
           count(*) filter (where e.type = 'delivered')::int as delivered,
           count(*) filter (where e.type = 'read')::int as read, max(e.occurred_at) as last_at
      from message_event e
      join campaign_recipient r on r.workspace_id = e.workspace_id and r.campaign_id = e.campaign_id and r.id = e.recipient_id
     where e.workspace_id = ${d.workspaceId} and e.type in ('sent', 'failed', 'delivered', 'read')
       and (e.occurred_at at time zone ${timeZone})::date between ${from}::date and ${to}::date
     group by 1 order by 1`);
  return rows;
}
