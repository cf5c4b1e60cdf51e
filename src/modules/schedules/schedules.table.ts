import {
  boolean,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";
import { workspaces } from "@/modules/workspaces/workspaces.table";
import type { ScheduleTarget } from "./schedules.schema";

const tstz = () => timestamp({ withTimezone: true, mode: "date" });

/**
 * A cron (+ IANA time zone) that creates a bot task from a template or launches a run of a
 * saved campaign. Each enabled row has one pg-boss schedule (key = id); `last_fired_slot` is
 * the occurrence it last fired for, advanced compare-and-set so one slot fires once.
 */
export const schedules = pgTable(
  "schedule",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid().notNull(),
    name: text().notNull(),
    cron: text().notNull(),
    timeZone: text().notNull(),
    enabled: boolean().notNull().default(true),
    target: jsonb().$type<ScheduleTarget>().notNull(),
    lastFiredSlot: tstz(),
    lastFiredAt: tstz(),
    /** The task or campaign run the last firing created. */
    lastRunId: uuid(),
    /** Error code of the last firing when it could not create its target. */
    lastError: text(),
    createdBy: uuid(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("schedule_name_key").on(t.workspaceId, t.name),
  ],
);

export type Schedule = typeof schedules.$inferSelect;
export type NewSchedule = typeof schedules.$inferInsert;
