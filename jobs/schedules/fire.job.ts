import { z } from "zod";
import { defineJob } from "../define";

/**
 * One firing of a `schedule` row (pg-boss schedule key = the row's id): creates its task or
 * campaign run for the occurrence it belongs to, once per occurrence however many workers or
 * pg-boss deliveries fire it (src/modules/schedules/schedule-fire.service.ts).
 */
export const fireSchedule = defineJob({
  name: "schedules.fire",
  options: { retryLimit: 2, retryDelay: 5, expireInSeconds: 300 },
  schema: z.object({ workspaceId: z.uuid(), scheduleId: z.uuid() }),
  work: { pollingIntervalSeconds: 2 },
  async handle({ data }) {
    const { fireScheduleSlot } = await import("@/modules/schedules/schedule-fire.service");
    return fireScheduleSlot(data);
  },
});
