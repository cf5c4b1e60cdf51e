import { CAMPAIGN_STATUSES } from "../campaigns.schema";

type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export type CampaignsListFilters = { status: CampaignStatus | null; page: number };

/** The list's filters from its URL (`/campaigns?status=running&page=2`); bad values dropped. */
export function listFiltersFromParams(
  params: Record<string, string | string[] | undefined>,
): CampaignsListFilters {
  const one = (k: string) => (Array.isArray(params[k]) ? params[k][0] : params[k]);
  const status = one("status");
  const page = Number(one("page"));
  return {
    status: (CAMPAIGN_STATUSES as readonly string[]).includes(status ?? "")
      ? (status as CampaignStatus)
      : null,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}
