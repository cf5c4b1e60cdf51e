/** Inputs and outputs of the stats procedures (tRPC `stats.*` and REST `/api/v1/stats/*`). */
import { z } from "zod";
import { errorKey } from "@/lib/error-ref";

/** Longest range any procedure takes, and the longest an hourly timeline takes. */
export const MAX_RANGE_DAYS = 400;
export const MAX_HOURLY_DAYS = 31;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** No message predates this; Postgres has no year 0, which `Date` would accept. */
const FIRST_DAY = "1900-01-01";
/** A calendar day of the workspace's time zone, `YYYY-MM-DD`. */
export const localDay = z
  .string()
  .regex(DAY, errorKey("stats.dayInvalid"))
  .refine(
    (d) =>
      d >= FIRST_DAY &&
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    errorKey("stats.dayInvalid"),
  );

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

const dimensions = {
  groupId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  botId: z.uuid().optional(),
};

const rangeShape = z.object({ from: localDay, to: localDay, ...dimensions });
type RangeShape = z.infer<typeof rangeShape>;

function checkRange(r: RangeShape, ctx: z.RefinementCtx, maxDays: number) {
  const days = daysBetween(r.from, r.to);
  if (days < 1)
    ctx.addIssue({ code: "custom", path: ["to"], message: errorKey("stats.rangeReversed") });
  else if (days > maxDays)
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: errorKey("stats.rangeTooLong"),
      params: { max: maxDays },
    });
}

/** From/to (inclusive local days) plus optional group, campaign and bot. */
export const statsRangeInput = rangeShape.superRefine((r, ctx) =>
  checkRange(r, ctx, MAX_RANGE_DAYS),
);
export type StatsRange = z.infer<typeof statsRangeInput>;

export const timelineBucket = z.enum(["hour", "day", "month"]);
export const timelineInput = rangeShape
  .extend({ bucket: timelineBucket })
  .superRefine((r, ctx) =>
    checkRange(r, ctx, r.bucket === "hour" ? MAX_HOURLY_DAYS : MAX_RANGE_DAYS),
  );
export type TimelineInput = z.infer<typeof timelineInput>;

export const contactSort = z.enum(["sent", "failed", "lastAt"]);
/** Without `from`/`to`, all time; with both, the contacts' totals over those local days. */
export const byContactInput = z
  .object({
    limit: z.number().int().min(1).max(100).default(20),
    page: z.number().int().min(1).max(1000).default(1),
    sort: contactSort.default("sent"),
    groupId: z.uuid().optional(),
    from: localDay.optional(),
    to: localDay.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.from === undefined && r.to === undefined) return;
    if (r.from === undefined || r.to === undefined)
      ctx.addIssue({
        code: "custom",
        path: [r.from === undefined ? "from" : "to"],
        message: errorKey("stats.rangeIncomplete"),
      });
    else checkRange({ from: r.from, to: r.to }, ctx, MAX_RANGE_DAYS);
  });
export type ByContactInput = z.infer<typeof byContactInput>;

export const byBotInput = z.object({ hours: z.number().int().min(1).max(168).default(24) });
export const errorsInput = z.object({
  days: z.number().int().min(1).max(90).default(7),
  ...dimensions,
});
export type ErrorsInput = z.infer<typeof errorsInput>;
export const monthlyInput = z.object({ months: z.number().int().min(1).max(24).default(12) });
export const campaignReportInput = z.object({ campaignId: z.uuid() });
/** Bot tasks: the same local-day range, optionally one bot (campaigns and groups do not apply). */
export const tasksInput = z
  .object({ from: localDay, to: localDay, botId: z.uuid().optional() })
  .superRefine((r, ctx) => checkRange(r, ctx, MAX_RANGE_DAYS));
export type TasksInput = z.infer<typeof tasksInput>;

// Outputs -----------------------------------------------------------------------------------
const count = z.number().int();
export const totals = z.object({
  sent: count,
  delivered: count,
  read: count,
  failed: count,
  skipped: count,
  canceled: count,
  /** sent ÷ (sent + failed), null when neither happened. */
  successRate: z.number().nullable(),
});
export type Totals = z.infer<typeof totals>;

export const timelinePoint = z.object({
  /** Local `YYYY-MM-DD HH:00`, `YYYY-MM-DD` or `YYYY-MM`. */
  at: z.string(),
  sent: count,
  delivered: count,
  read: count,
  failed: count,
});
export const timelineOutput = z.object({ bucket: timelineBucket, points: z.array(timelinePoint) });

export const namedCounts = z.array(
  z.object({ id: z.string(), name: z.string().nullable(), sent: count, failed: count }),
);
export const errorsOutput = z.array(z.object({ code: z.string(), failed: count }));
export const byContactOutput = z.object({
  rows: z.array(
    z.object({
      contactId: z.string(),
      /** Name and phone the contact was last messaged as. */
      name: z.string().nullable(),
      phone: z.string(),
      groupId: z.string().nullable(),
      groupName: z.string().nullable(),
      sent: count,
      failed: count,
      delivered: count,
      read: count,
      lastAt: z.date(),
    }),
  ),
  /** Contacts with any activity in the period (in the group, when filtered). */
  total: count,
});
export const currentMonthOutput = z.object({
  month: z.string(),
  sent: count,
  previousSent: count,
  /** Month to date against the same days of the previous month, null when that was 0. */
  change: z.number().nullable(),
  failed: count,
  successRate: z.number().nullable(),
  activeCampaigns: count,
  contacts: count,
  contactsIsEstimate: z.boolean(),
  optedOut: count,
  /** Bots heard from in the last minute (agent pull, heartbeat, result or signed event). */
  botsOnline: count,
});
export const monthlyOutput = z.array(timelinePoint);

const finishedCounts = {
  succeeded: count,
  failed: count,
  canceled: count,
  timedOut: count,
};
export const tasksOutput = z.object({
  /** Tasks waiting or in flight now (not limited to the range). */
  open: z.object({ pending: count, leased: count, running: count }),
  /** Final outcomes within the range (a task retried after failing counts both). */
  finished: z.object(finishedCounts),
  /** succeeded ÷ (succeeded + failed + timed out), null when none of them happened. */
  successRate: z.number().nullable(),
  /** Every local day of the range. */
  days: z.array(z.object({ day: z.string(), ...finishedCounts })),
  /**
   * Per action, most outcomes first; `avgMs` is the mean time from a task's first start to its
   * outcome (cancellations and tasks that never started left out), null when none.
   */
  byAction: z.array(
    z.object({ action: z.string(), ...finishedCounts, avgMs: z.number().nullable() }),
  ),
  /** Per bot, most finished first. */
  byBot: z.array(z.object({ id: z.string(), name: z.string().nullable(), ...finishedCounts })),
});

export const campaignReportOutput = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  launchedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  /** Recipients the campaign was built for (skipped ones included). */
  audience: count,
  totals,
  errors: errorsOutput,
  timeline: timelineOutput,
});
