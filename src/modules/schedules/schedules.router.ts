import { z } from "zod";
import { actorOf, createTRPCRouter, requirePermission } from "@/server/trpc";
import {
  listSchedulesInput,
  readerLocale,
  scheduleIdInput,
  scheduleInput,
  scheduleView,
  setEnabledInput,
  updateScheduleInput,
} from "./schedules.schema";
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  setScheduleEnabled,
  toScheduleView,
  updateSchedule,
} from "./schedules.service";

// Schedules create bot tasks and campaign runs: the bots permissions (viewer reads,
// operator and admin write).
const read = requirePermission("bots:read");
const write = requirePermission("bots:write");

export const schedulesRouter = createTRPCRouter({
  list: read
    .input(listSchedulesInput)
    .output(z.array(scheduleView))
    .query(({ ctx, input }) =>
      ctx.tenant((tx) =>
        listSchedules({ tx, workspaceId: ctx.workspace.id, locale: input.locale }),
      ),
    ),

  create: write
    .input(scheduleInput.extend({ locale: readerLocale }))
    .output(scheduleView)
    .mutation(({ ctx, input: { locale, ...input } }) =>
      ctx.tenant(async (tx) =>
        toScheduleView(await createSchedule({ tx, ...actorOf(ctx), input }), locale),
      ),
    ),

  update: write
    .input(updateScheduleInput.extend({ locale: readerLocale }))
    .output(scheduleView)
    .mutation(({ ctx, input: { id, locale, ...input } }) =>
      ctx.tenant(async (tx) =>
        toScheduleView(await updateSchedule({ tx, ...actorOf(ctx), id, input }), locale),
      ),
    ),

  setEnabled: write
    .input(setEnabledInput.extend({ locale: readerLocale }))
    .output(scheduleView)
    .mutation(({ ctx, input: { id, enabled, locale } }) =>
      ctx.tenant(async (tx) =>
        toScheduleView(await setScheduleEnabled({ tx, ...actorOf(ctx), id, enabled }), locale),
      ),
    ),

  delete: write
    .input(scheduleIdInput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => deleteSchedule({ tx, ...actorOf(ctx), id: input.id })),
    ),
});
