import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { campaignReport } from "./campaign-report.service";
import { statsTasks } from "./stats-tasks.service";
import {
  byBotInput,
  byContactInput,
  byContactOutput,
  campaignReportInput,
  campaignReportOutput,
  currentMonthOutput,
  errorsInput,
  errorsOutput,
  monthlyInput,
  monthlyOutput,
  namedCounts,
  statsRangeInput,
  tasksInput,
  tasksOutput,
  timelineInput,
  timelineOutput,
  totals,
} from "./stats.schema";
import {
  statsByBot,
  statsByContact,
  statsByGroup,
  statsCurrentMonth,
  statsErrors,
  statsMonthly,
  statsSummary,
  statsTimeline,
  type StatsScope,
} from "./stats.service";

/** Every procedure reads the caller's workspace, in its time zone; none takes a workspace id. */
const read = requirePermission("dashboard:read").use(({ ctx, next }) =>
  next({
    ctx: {
      stats: <T>(fn: (scope: StatsScope) => Promise<T>) =>
        ctx.tenant((tx) =>
          fn({ tx, workspaceId: ctx.workspace.id, timeZone: ctx.workspace.timeZone }),
        ),
    },
  }),
);

export const statsRouter = createTRPCRouter({
  summary: read
    .input(statsRangeInput)
    .output(totals)
    .query(({ ctx, input }) => ctx.stats((s) => statsSummary({ ...s, input }))),

  timeline: read
    .input(timelineInput)
    .output(timelineOutput)
    .query(({ ctx, input }) => ctx.stats((s) => statsTimeline({ ...s, input }))),

  byGroup: read
    .input(statsRangeInput)
    .output(namedCounts)
    .query(({ ctx, input }) => ctx.stats((s) => statsByGroup({ ...s, input }))),

  byContact: read
    .input(byContactInput)
    .output(byContactOutput)
    .query(({ ctx, input }) => ctx.stats((s) => statsByContact({ ...s, input }))),

  byBot: read
    .input(byBotInput)
    .output(namedCounts)
    .query(({ ctx, input }) => ctx.stats((s) => statsByBot({ ...s, hours: input.hours }))),

  currentMonth: read
    .output(currentMonthOutput)
    .query(({ ctx }) => ctx.stats((s) => statsCurrentMonth(s))),

  monthly: read
    .input(monthlyInput)
    .output(monthlyOutput)
    .query(({ ctx, input }) => ctx.stats((s) => statsMonthly({ ...s, months: input.months }))),

  errors: read
    .input(errorsInput)
    .output(errorsOutput)
    .query(({ ctx, input }) => ctx.stats((s) => statsErrors({ ...s, input }))),

  tasks: read
    .input(tasksInput)
    .output(tasksOutput)
    .query(({ ctx, input }) => ctx.stats((s) => statsTasks({ ...s, input }))),

  /** One campaign's funnel, failures by reason and timeline (the report page). */
  campaignReport: read
    .input(campaignReportInput)
    .output(campaignReportOutput)
    .query(({ ctx, input }) =>
      ctx.stats((s) => campaignReport({ ...s, campaignId: input.campaignId })),
    ),
});
