/**
 * One campaign's report: its funnel (audience → sent → delivered → read), failures by reason
 * and timeline, from the same counters as the dashboard.
 */
import { getCampaign } from "@/modules/campaigns/campaigns.service";
import { eachDay, eachHour } from "./calendar";
import { campaignDaySpan, sumDays, sumHours } from "./stats.queries";
import { toPoints, toTotals, type StatsScope } from "./stats.service";

/** A campaign that ran within this many days gets an hourly timeline. */
const HOURLY_UP_TO_DAYS = 3;

export async function campaignReport({
  tx,
  workspaceId,
  timeZone,
  campaignId,
}: StatsScope & { campaignId: string }) {
  const campaign = await getCampaign({ tx, workspaceId, id: campaignId });
  const span = await campaignDaySpan(tx, workspaceId, campaignId);
  const dims = { campaignId };
  const base = {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    launchedAt: campaign.launchedAt,
    completedAt: campaign.completedAt,
    audience: campaign.counts.total,
  };
  if (!span) {
    return {
      ...base,
      totals: toTotals([]),
      errors: [],
      timeline: { bucket: "day" as const, points: [] },
    };
  }
  const range = { from: span.first, to: span.last, dims };
  const [counts, codes] = [
    await sumDays(tx, workspaceId, { ...range, by: "status" }),
    await sumDays(tx, workspaceId, { ...range, by: "code", status: "failed" }),
  ];
  const days = eachDay(span.first, span.last);
  const timeline =
    days.length <= HOURLY_UP_TO_DAYS
      ? {
          bucket: "hour" as const,
          points: toPoints(
            eachHour(span.first, span.last),
            await sumHours(tx, workspaceId, { ...range, timeZone }),
          ),
        }
      : {
          bucket: "day" as const,
          points: toPoints(days, await sumDays(tx, workspaceId, { ...range, by: "day" })),
        };
  return {
    ...base,
    totals: toTotals(counts),
    errors: codes
      .map((c) => ({ code: c.key === "" ? "unknown" : c.key, failed: c.n }))
      .sort((a, b) => b.failed - a.failed || a.code.localeCompare(b.code)),
    timeline,
  };
}
