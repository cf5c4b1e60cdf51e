/**
 * The demo workspace's finished campaign (first start only): real recipients built by the
 * same materialize statement as any launch, then outcomes written as if it had run ten days
 * ago — outside the default 7-day cool-off, so the demo contacts can be messaged again.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { planFor } from "./campaigns.service";
import { insertCampaign } from "./campaigns.queries";
import { insertRecipients } from "./materialize.queries";
import { NIL_UUID } from "./rollups";

export async function seedDemoCampaign(
  tx: Tx,
  {
    workspaceId,
    botId,
    groupId,
    cooloffDays,
  }: { workspaceId: string; botId: string; groupId: string; cooloffDays: number },
) {
  const launchedAt = new Date(Date.now() - 10 * 24 * 3600_000);
  const campaign = await insertCampaign(tx, {
    workspaceId,
    name: "Bienvenida VIP",
    status: "completed",
    audience: { groupIds: [groupId], excludeGroupIds: [], sources: [] },
    templates: [
      {
        kind: "text",
        body: "Hola {{sustantivo}} {{nombre}}, gracias por ser cliente VIP en {{ciudad|Paraguay}}.",
      },
    ],
    botIds: [botId],
    schedule: { type: "now" },
    launchedAt,
    completedAt: new Date(launchedAt.getTime() + 5 * 60_000),
  });
  const plan = planFor({ id: workspaceId, cooloffDays }, campaign, campaign.id);
  const { total } = await insertRecipients(tx, plan);
  const at = launchedAt.toISOString();
  // Every 9th recipient failed; of the rest, most were delivered and about half read.
  await tx.execute(sql`
    with numbered as (
      select id, row_number() over (order by phone) as n from campaign_recipient
       where workspace_id = ${workspaceId} and campaign_id = ${campaign.id} and status = 'queued'
    )
    update campaign_recipient r set
      status = (case when n % 9 = 0 then 'failed' when n % 4 = 0 then 'sent' when n % 2 = 0 then 'delivered' else 'read' end)::recipient_status,
      error_code = case when n % 9 = 0 then 'sandbox_failed' end,
      attempts = 1,
      provider_message_id = case when n % 9 <> 0 then 'sbx_' || r.id end,
      sent_at = case when n % 9 <> 0 then ${at}::timestamptz + n * interval '2 seconds' end,
      delivered_at = case when n % 9 <> 0 and n % 4 <> 0 then ${at}::timestamptz + n * interval '2 seconds' + interval '3 seconds' end,
      read_at = case when n % 9 <> 0 and n % 4 <> 0 and n % 2 = 1 then ${at}::timestamptz + n * interval '2 seconds' + interval '40 seconds' end,
      updated_at = ${at}::timestamptz
    from numbered where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaign.id} and r.id = numbered.id`);
  // Timeline, ledger and counters as the run would have left them, dated at the run.
  await tx.execute(
    sql`delete from message_event where workspace_id = ${workspaceId} and campaign_id = ${campaign.id}`,
  );
  await tx.execute(
    sql`delete from campaign_rollup where workspace_id = ${workspaceId} and campaign_id = ${campaign.id}`,
  );
  await tx.execute(sql`
    insert into message_event (workspace_id, occurred_at, campaign_id, recipient_id, bot_id, type, code)
    select workspace_id, e.at, campaign_id, id, bot_id, e.type, e.code from campaign_recipient r
    cross join lateral (values
      ('skipped', r.error_code, ${at}::timestamptz, r.status = 'skipped'),
      ('failed', r.error_code, ${at}::timestamptz, r.status = 'failed'),
      ('sent', null, r.sent_at, r.sent_at is not null),
      ('delivered', null, r.delivered_at, r.delivered_at is not null),
      ('read', null, r.read_at, r.read_at is not null)) e(type, code, at, happened)
    where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaign.id} and e.happened`);
  await tx.execute(sql`
    insert into campaign_rollup (workspace_id, bucket, campaign_id, bot_id, group_id, status, count)
    select workspace_id, date_trunc('hour', occurred_at), campaign_id, coalesce(bot_id, ${NIL_UUID}::uuid),
           ${groupId}::uuid, type, count(*)
      from message_event where workspace_id = ${workspaceId} and campaign_id = ${campaign.id}
     group by 1, 2, 3, 4, 5, 6
    union all
    select workspace_id, date_trunc('hour', ${at}::timestamptz), campaign_id, coalesce(bot_id, ${NIL_UUID}::uuid),
           ${groupId}::uuid, 'queued', count(*)
      from campaign_recipient where workspace_id = ${workspaceId} and campaign_id = ${campaign.id} and status <> 'skipped'
     group by 1, 2, 3, 4, 5, 6`);
  await tx.execute(sql`
    insert into send_ledger (workspace_id, phone, last_sent_at, campaign_id, recipient_id)
    select workspace_id, phone, sent_at, campaign_id, id from campaign_recipient
     where workspace_id = ${workspaceId} and campaign_id = ${campaign.id} and sent_at is not null
    on conflict do nothing`);
  await tx.execute(sql`update campaign set total = ${total} where id = ${campaign.id}`);
  return campaign.id;
}
