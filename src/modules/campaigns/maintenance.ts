/**
 * The `campaign.maintenance` cron (every 5 minutes), across workspaces as the owner role:
 * - recipients `sending` for over 15 minutes (their job was lost for good) become `unknown`,
 *   for the status webhooks to reconcile — never re-sent blindly;
 * - running campaigns that were never materialized, or whose queued recipients have not
 *   moved for 10 minutes, get their jobs queued again (a crash between a commit and its
 *   enqueue);
 * - scheduled campaigns whose pg-boss trigger was lost get it again (`schedule-repair.ts`);
 * - message_event keeps monthly partitions three months ahead.
 */
import { sql } from "drizzle-orm";
import { systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { enqueue } from "@jobs/enqueue";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { enqueueBatches, notifyCampaign } from "./campaign-launch.service";
import { repairCampaignSchedules } from "./schedule-repair";
import { settleRecipients } from "./send.queries";

export async function runCampaignMaintenance() {
  const db = systemDb();
  await db.execute(
    sql`select app_ensure_event_partitions(now()::date, (now() + interval '3 months')::date)`,
  );

  const stuck = await db.execute<{ workspace_id: string; campaign_id: string; ids: string[] }>(sql`
    select r.workspace_id, r.campaign_id, array_agg(r.id) as ids
      from campaign c join campaign_recipient r
        on r.workspace_id = c.workspace_id and r.campaign_id = c.id
     -- Claims exist only while a campaign runs (a completed one has none; a canceled one's
     -- last sends settle within minutes): no index holds status, so only the recipients of
     -- campaigns that can have claims are read.
     where (c.status in ('running', 'paused')
            or (c.status = 'canceled' and c.completed_at > now() - interval '7 days'))
       and r.status = 'sending' and r.updated_at < now() - interval '15 minutes'
       -- an agent task settles its recipient itself, with its own timeout and attempts
       and r.claimed_by is distinct from 'agent'
     group by 1, 2 limit 1000`);
  for (const s of stuck.rows) {
    await withTenant({ workspaceId: s.workspace_id }, async (tx) => {
      await settleRecipients(tx, {
        workspaceId: s.workspace_id,
        campaignId: s.campaign_id,
        outcomes: s.ids.map((id) => ({
          id,
          status: "unknown",
          code: "interrupted",
          providerMessageId: null,
          nextAttemptAt: null,
          event: "unknown",
        })),
      });
      await notifyCampaign(tx, s.campaign_id);
    });
  }

  const idle = await db.execute<{ workspace_id: string; id: string; materialized: boolean }>(sql`
    select c.workspace_id, c.id,
           exists (select 1 from campaign_recipient r where r.workspace_id = c.workspace_id and r.campaign_id = c.id) as materialized
      from campaign c
     where c.status = 'running' and c.launched_at < now() - interval '2 minutes'
       and not exists (select 1 from campaign_recipient r
                        where r.workspace_id = c.workspace_id and r.campaign_id = c.id
                          and r.status in ('queued', 'sending')
                          and r.updated_at > now() - interval '10 minutes')`);
  for (const c of idle.rows) {
    if (!c.materialized) {
      await enqueue(materializeCampaign, { workspaceId: c.workspace_id, campaignId: c.id });
      continue;
    }
    await withTenant({ workspaceId: c.workspace_id }, async (tx) => {
      const { rows } = await tx.execute<{ batch: number; bot_id: string }>(sql`
        select distinct batch, bot_id from campaign_recipient
         where workspace_id = ${c.workspace_id} and campaign_id = ${c.id} and status = 'queued'
           and (next_attempt_at is null or next_attempt_at <= now())`);
      await enqueueBatches(
        tx,
        c.workspace_id,
        c.id,
        rows.map((r) => ({ batch: r.batch, botId: r.bot_id })),
      );
    });
  }
  const schedules = await repairCampaignSchedules();
  return { stuck: stuck.rows.length, rekicked: idle.rows.length, ...schedules };
}
