/** Campaigns' data the stats module needs (docs/dashboards.md); nothing else reads it from there. */
import type { Tx } from "@/server/db/tenant";
import {
  campaignNames,
  countActiveCampaigns,
  countSuppressedSince,
  eventsSince,
  workspacesWithEvents,
} from "./stats-reads.queries";

export { eventsSince, workspacesWithEvents };

type Scope = { tx: Tx; workspaceId: string };

export function findCampaignNames({ tx, workspaceId, ids }: Scope & { ids: string[] }) {
  return campaignNames(tx, workspaceId, ids);
}

/** Campaigns scheduled, running or paused. */
export function activeCampaignCount({ tx, workspaceId }: Scope) {
  return countActiveCampaigns(tx, workspaceId);
}

/** Opt-outs recorded since the start of a local day. */
export function optedOutSince({
  tx,
  workspaceId,
  day,
  timeZone,
}: Scope & { day: string; timeZone: string }) {
  return countSuppressedSince(tx, workspaceId, { day, timeZone });
}
