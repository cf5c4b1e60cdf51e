/** What the bots module asks of campaigns: today's sends per bot, whether a bot is in use, waking it. */
import { sql } from "drizzle-orm";
import { localTime } from "@/modules/bots/pacing-clock";
import { zonedWallTimeToDate } from "@/lib/zoned-time";
import type { Tx } from "@/server/db/tenant";
import { botInUse } from "./campaigns.queries";
import { wakeBot } from "./campaign-launch.service";

export async function botSendCountsToday(
  tx: Tx,
  workspace: { id: string; timeZone: string },
  botIds: string[],
): Promise<Map<string, { sent: number; failed: number }>> {
  const out = new Map<string, { sent: number; failed: number }>();
  if (botIds.length === 0) return out;
  const since = zonedWallTimeToDate(
    `${localTime(new Date(), workspace.timeZone).date}T00:00`,
    workspace.timeZone,
  );
  const { rows } = await tx.execute<{ bot_id: string; sent: number; failed: number }>(sql`
    select bot_id,
           coalesce(sum(count) filter (where status = 'sent'), 0)::float8 as sent,
           coalesce(sum(count) filter (where status in ('failed', 'undelivered')), 0)::float8 as failed
      from campaign_rollup
     where workspace_id = ${workspace.id} and bucket >= ${since.toISOString()}::timestamptz
       and bot_id = any(${sql.param(botIds)}::uuid[])
     group by bot_id`);
  for (const r of rows) out.set(r.bot_id, { sent: Number(r.sent), failed: Number(r.failed) });
  return out;
}

export function botInUseByCampaigns(tx: Tx, workspaceId: string, botId: string) {
  return botInUse(tx, workspaceId, botId);
}

export function wakeBotCampaigns(workspaceId: string, botId: string) {
  return wakeBot(workspaceId, botId);
}
