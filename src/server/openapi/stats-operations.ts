/**
 * The dashboard's numbers over REST (`/api/v1/stats/*`, scope `stats:read`): the same inputs,
 * answers and workspace scoping as the tRPC `stats.*` procedures.
 */
import {
  byBotInput,
  byContactInput,
  errorsInput,
  monthlyInput,
  statsRangeInput,
  tasksInput,
  timelineInput,
} from "@/modules/stats/stats.schema";
import type { ApiOperation, SchemaName } from "./operations";
import { idParams } from "./rest-schemas";

const range = {
  from: "First day (YYYY-MM-DD) in the workspace's time zone.",
  to: "Last day (YYYY-MM-DD), inclusive; at most 400 days after `from`.",
  groupId: "Only recipients that came in through this group.",
  campaignId: "Only this campaign.",
  botId: "Only this bot.",
};

function statsGet<
  const Id extends string,
  const X extends Pick<ApiOperation, "query" | "paramDocs" | "pathParams">,
>(
  operationId: Id,
  path: string,
  summary: string,
  description: string,
  schema: SchemaName,
  extra: X,
) {
  return {
    operationId,
    method: "get" as const,
    path: `/stats${path}`,
    tag: "Stats" as const,
    summary,
    description,
    scope: "stats:read" as const,
    ...extra,
    success: { status: 200 as const, description: summary, schema },
    errors: [400] as const,
  };
}

export const STATS_API = {
  statsSummary: statsGet(
    "statsSummary",
    "/summary",
    "Totals over a range",
    "Sent, delivered, read, failed, skipped and canceled messages over local days, and the success rate (sent ÷ (sent + failed)).",
    "StatsTotals",
    { query: statsRangeInput, paramDocs: range },
  ),
  statsTimeline: statsGet(
    "statsTimeline",
    "/timeline",
    "Timeline",
    "Sent, delivered, read and failed per local hour (ranges up to 31 days), day or month; every bucket of the range is present.",
    "StatsTimeline",
    {
      query: timelineInput,
      paramDocs: { ...range, bucket: "`hour`, `day` or `month`." },
    },
  ),
  statsByGroup: statsGet(
    "statsByGroup",
    "/groups",
    "Sends by group",
    "Sent and failed per group over a range, most sent first.",
    "StatsNamedCounts",
    { query: statsRangeInput, paramDocs: range },
  ),
  statsByBot: statsGet(
    "statsByBot",
    "/bots",
    "Sends by bot",
    "Sent and failed per bot over the last hours (to the quarter hour), most sent first.",
    "StatsNamedCounts",
    { query: byBotInput, paramDocs: { hours: "How many hours back, 1–168." } },
  ),
  statsByContact: statsGet(
    "statsByContact",
    "/contacts",
    "Top contacts",
    "Totals per contact, all time or over a period of local days (`from` and `to`), sorted and paginated; `total` counts up to 10,000 contacts.",
    "StatsContacts",
    {
      query: byContactInput,
      paramDocs: {
        limit: "Rows per page, 1–100.",
        page: "1-based page number.",
        sort: "`sent`, `failed` or `lastAt`, descending.",
        groupId:
          "Only contacts whose latest message came through this group (in a period: whose latest message of a day did, those days).",
        from: "With `to`: totals over these local days (YYYY-MM-DD) instead of all time.",
        to: "Last local day of the period, inclusive; at most 400 days after `from`.",
      },
    },
  ),
  statsCurrentMonth: statsGet(
    "statsCurrentMonth",
    "/current-month",
    "This month",
    "This month so far in the workspace's time zone against the same days of the previous month, plus active campaigns, contacts, opt-outs and bots online.",
    "StatsCurrentMonth",
    {},
  ),
  statsMonthly: statsGet(
    "statsMonthly",
    "/monthly",
    "Monthly trend",
    "Sent, delivered, read and failed per month, the current month included.",
    "StatsMonthly",
    { query: monthlyInput, paramDocs: { months: "How many months, 1–24." } },
  ),
  statsErrors: statsGet(
    "statsErrors",
    "/errors",
    "Failures by reason",
    "Failed messages per reason code over the last days.",
    "StatsErrors",
    {
      query: errorsInput,
      paramDocs: { ...range, days: "How many days back, 1–90 (today included)." },
    },
  ),
  statsTasks: statsGet(
    "statsTasks",
    "/tasks",
    "Bot tasks",
    "Tasks waiting or in flight now, and final task outcomes within the range (folded task events: a task retried after failing counts both): per outcome, per local day, per action (with the mean duration from first start to outcome) and per bot; the success rate is succeeded ÷ (succeeded + failed + timed out).",
    "StatsTasks",
    { query: tasksInput, paramDocs: { from: range.from, to: range.to, botId: range.botId } },
  ),
  statsCampaignReport: {
    ...statsGet(
      "statsCampaignReport",
      "/campaigns/{id}",
      "Campaign report",
      "One campaign's funnel (audience, sent, delivered, read), failures by reason and timeline.",
      "StatsCampaignReport",
      {
        pathParams: idParams,
        paramDocs: { id: "The campaign's id (UUID)." },
      },
    ),
    errors: [400, 404] as const,
  },
} as const satisfies Record<string, ApiOperation>;
