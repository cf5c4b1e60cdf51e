/**
 * The dashboard's numbers, all read from the stats tables the fold keeps (never from raw
 * events), in the workspace's time zone. Names come from their owners' services.
 */
import { activeCampaignCount, optedOutSince } from "@/modules/campaigns/stats-reads.service";
import { countBotsOnline } from "@/modules/bots/bots-presence.service";
import { botNamesByIds } from "@/modules/bots/bots.service";
import { listContactsInput } from "@/modules/contacts/contacts.schema";
import { listContacts } from "@/modules/contacts/contacts.service";
import { groupNamesByIds } from "@/modules/contacts/groups.service";
import type { Tx } from "@/server/db/tenant";
import {
  addDays,
  eachDay,
  eachHour,
  eachMonth,
  lastDayOfMonth,
  monthStart,
  presetStarts,
  todayIn,
} from "./calendar";
import { readKeptRange } from "./contact-ranges.queries";
import { keepRangeSoon } from "./contact-ranges.service";
import { rankHeldContactDays } from "./contact-day-memory.service";
import type {
  ByContactInput,
  ErrorsInput,
  StatsRange,
  TimelineInput,
  Totals,
} from "./stats.schema";
import {
  contactPeriodPage,
  contactPeriodRows,
  contactTotalsPage,
  contactWindowDay,
  sumDays,
  sumHours,
  sumRecentByBot,
  type StatusCount,
} from "./stats.queries";

export type StatsScope = { tx: Tx; workspaceId: string; timeZone: string };

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

function sumStatus(counts: StatusCount[], status: string) {
  return counts.reduce((a, c) => (c.status === status ? a + c.n : a), 0);
}

const rate = (sent: number, failed: number) =>
  sent + failed === 0 ? null : sent / (sent + failed);

export function toTotals(counts: StatusCount[]): Totals {
  const [sent, delivered, read, failed, skipped, canceled] = (
    ["sent", "delivered", "read", "failed", "skipped", "canceled"] as const
  ).map((s) => sumStatus(counts, s));
  return {
    sent: sent!,
    delivered: delivered!,
    read: read!,
    failed: failed!,
    skipped: skipped!,
    canceled: canceled!,
    successRate: rate(sent!, failed!),
  };
}

/** Counts per key, as timeline points over `keys` (missing keys are zeros). */
export function toPoints(keys: string[], counts: StatusCount[]) {
  const byKey = new Map(keys.map((at) => [at, { at, sent: 0, delivered: 0, read: 0, failed: 0 }]));
  for (const c of counts) {
    const point = byKey.get(c.key);
    if (
      point &&
      (c.status === "sent" ||
        c.status === "delivered" ||
        c.status === "read" ||
        c.status === "failed")
    )
      point[c.status] += c.n;
  }
  return [...byKey.values()];
}

const dims = (r: { groupId?: string; campaignId?: string; botId?: string }) => ({
  groupId: r.groupId,
  campaignId: r.campaignId,
  botId: r.botId,
});

export async function statsSummary({ tx, workspaceId, input }: StatsScope & { input: StatsRange }) {
  const counts = await sumDays(tx, workspaceId, {
    from: input.from,
    to: input.to,
    by: "status",
    dims: dims(input),
  });
  return toTotals(counts);
}

export async function statsTimeline({
  tx,
  workspaceId,
  timeZone,
  input,
}: StatsScope & { input: TimelineInput }) {
  const range = { from: input.from, to: input.to, dims: dims(input) };
  if (input.bucket === "hour") {
    const counts = await sumHours(tx, workspaceId, { ...range, timeZone });
    return { bucket: input.bucket, points: toPoints(eachHour(input.from, input.to), counts) };
  }
  const counts = await sumDays(tx, workspaceId, { ...range, by: input.bucket });
  const keys =
    input.bucket === "day" ? eachDay(input.from, input.to) : eachMonth(input.from, input.to);
  return { bucket: input.bucket, points: toPoints(keys, counts) };
}

/** Sent and failed per key, most sent first, with names from `names`. */
function rank(counts: StatusCount[], names: Map<string, string>) {
  const rows = new Map<string, { id: string; name: string | null; sent: number; failed: number }>();
  for (const c of counts) {
    if (c.status !== "sent" && c.status !== "failed") continue;
    const row = rows.get(c.key) ?? {
      id: c.key,
      name: names.get(c.key) ?? null,
      sent: 0,
      failed: 0,
    };
    row[c.status] += c.n;
    rows.set(c.key, row);
  }
  return [...rows.values()]
    .filter((r) => r.sent + r.failed > 0)
    .sort((a, b) => b.sent - a.sent || b.failed - a.failed || a.id.localeCompare(b.id));
}

export async function statsByGroup({ tx, workspaceId, input }: StatsScope & { input: StatsRange }) {
  const counts = await sumDays(tx, workspaceId, {
    from: input.from,
    to: input.to,
    by: "group",
    dims: dims(input),
  });
  const ids = counts.map((c) => c.key);
  return rank(counts, await groupNamesByIds({ tx, workspaceId, ids }));
}

export async function statsByBot({ tx, workspaceId, hours }: StatsScope & { hours: number }) {
  const counts = await sumRecentByBot(tx, workspaceId, hours);
  const ids = counts.map((c) => c.key);
  return rank(counts, await botNamesByIds({ tx, workspaceId, ids }));
}

export async function statsErrors({
  tx,
  workspaceId,
  timeZone,
  input,
}: StatsScope & { input: ErrorsInput }) {
  const to = todayIn(timeZone);
  const counts = await sumDays(tx, workspaceId, {
    from: addDays(to, 1 - input.days),
    to,
    by: "code",
    dims: dims(input),
    status: "failed",
  });
  return counts
    .map((c) => ({ code: c.key === "" ? "unknown" : c.key, failed: c.n }))
    .sort((a, b) => b.failed - a.failed || a.code.localeCompare(b.code));
}

export async function statsMonthly({
  tx,
  workspaceId,
  timeZone,
  months,
}: StatsScope & { months: number }) {
  const today = todayIn(timeZone);
  const from = monthStart(today, 1 - months);
  const counts = await sumDays(tx, workspaceId, { from, to: today, by: "month" });
  return toPoints(eachMonth(from, today), counts);
}

/** KPI cards: this month so far against the same days of the previous month, and the workspace now. */
export async function statsCurrentMonth({ tx, workspaceId, timeZone }: StatsScope) {
  const today = todayIn(timeZone);
  const start = monthStart(today);
  const prevStart = monthStart(today, -1);
  const elapsed = eachDay(start, today).length;
  const prevEnd = [addDays(prevStart, elapsed - 1), lastDayOfMonth(prevStart)].sort()[0]!;
  const now = await sumDays(tx, workspaceId, { from: start, to: today, by: "status" });
  const before = await sumDays(tx, workspaceId, { from: prevStart, to: prevEnd, by: "status" });
  const activeCampaigns = await activeCampaignCount({ tx, workspaceId });
  const optedOut = await optedOutSince({ tx, workspaceId, day: start, timeZone });
  const contacts = await listContacts({
    tx,
    workspaceId,
    input: listContactsInput.parse({ pageSize: 10 }),
  });
  const botsOnline = await countBotsOnline({ tx, workspaceId });
  const sent = sumStatus(now, "sent");
  const failed = sumStatus(now, "failed");
  const previousSent = sumStatus(before, "sent");
  return {
    month: start.slice(0, 7),
    sent,
    previousSent,
    change: previousSent === 0 ? null : (sent - previousSent) / previousSent,
    failed,
    successRate: rate(sent, failed),
    activeCampaigns,
    contacts: contacts.total,
    contactsIsEstimate: contacts.totalIsEstimate,
    optedOut,
    botsOnline,
  };
}

/**
 * All time, a preset period ending today (kept per contact by the fold), a custom period kept
 * since an earlier view, or any other period (ranked from the contact-days this process holds
 * in memory, or summed from them in Postgres while it holds none, and kept for the views after
 * this one): the same numbers either way.
 */
async function contactPage(
  tx: Tx,
  workspaceId: string,
  page: Parameters<typeof contactTotalsPage>[2],
  { from, to }: { from?: string; to?: string },
) {
  if (!from || !to) return contactTotalsPage(tx, workspaceId, page);
  const windowDay = await contactWindowDay(tx, workspaceId);
  if (windowDay === to && presetStarts(windowDay).includes(from))
    return contactTotalsPage(tx, workspaceId, { ...page, since: from });
  if (await readKeptRange(tx, workspaceId, { from, to }))
    return contactTotalsPage(tx, workspaceId, { ...page, range: { from, to } });
  const ranked = await rankHeldContactDays(tx, workspaceId, { ...page, from, to });
  const summed = ranked
    ? {
        rows: await contactPeriodRows(tx, workspaceId, {
          from,
          to,
          ...page,
          contactIds: ranked.ids,
        }),
        total: ranked.total,
      }
    : await contactPeriodPage(tx, workspaceId, { ...page, from, to });
  keepRangeSoon(workspaceId, { from, to });
  return summed;
}

export async function statsByContact({
  tx,
  workspaceId,
  input,
}: StatsScope & { input: ByContactInput }) {
  const page = {
    sort: input.sort,
    limit: input.limit,
    offset: (input.page - 1) * input.limit,
    groupId: input.groupId,
  };
  const { rows, total } = await contactPage(tx, workspaceId, page, input);
  const names = await groupNamesByIds({ tx, workspaceId, ids: rows.map((r) => r.groupId) });
  return {
    rows: rows.map(({ nombre, ...r }) => ({
      ...r,
      name: nombre,
      groupId: r.groupId === NIL_UUID ? null : r.groupId,
      groupName: names.get(r.groupId) ?? null,
    })),
    total,
  };
}
