import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "@/server/db/columns";
import { bots } from "@/modules/bots/bots.table";
import { workspaces } from "@/modules/workspaces/workspaces.table";

const tstz = () => timestamp({ withTimezone: true, mode: "date" });

export const taskStatus = pgEnum("task_status", [
  "PENDING",
  "LEASED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "CANCELED",
  "TIMED_OUT",
]);
export const logLevel = pgEnum("log_level", ["debug", "info", "warn", "error"]);

/**
 * One unit of work for one bot (docs/tasks.md). An agent leases it (`lease_owner`,
 * `lease_expires_at`; `attempt_started_at` for the per-attempt timeout), reports on it, and
 * settles it; a lost lease or a failure goes back to PENDING with `scheduled_for` pushed out
 * by the backoff until `attempts` reaches `max_attempts`.
 */
export const botTasks = pgTable(
  "bot_task",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    id: uuid().notNull(),
    botId: uuid()
      .notNull()
      .references(() => bots.id, { onDelete: "cascade" }),
    action: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    priority: smallint().notNull().default(0),
    status: taskStatus().notNull().default("PENDING"),
    attempts: smallint().notNull().default(0),
    maxAttempts: smallint().notNull().default(3),
    timeoutSeconds: integer().notNull().default(300),
    scheduledFor: tstz().notNull().defaultNow(),
    leaseOwner: text(),
    leaseExpiresAt: tstz(),
    attemptStartedAt: tstz(),
    idempotencyKey: text(),
    result: jsonb().$type<Record<string, unknown>>(),
    error: text(),
    createdBy: uuid(),
    startedAt: tstz(),
    finishedAt: tstz(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("bot_task_idempotency_key")
      .on(t.workspaceId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    // What a pull reads: a bot's due tasks, priority then age (ids are time-ordered).
    index("bot_task_due_idx")
      .on(t.workspaceId, t.botId, t.priority.desc(), t.id)
      .where(sql`${t.status} = 'PENDING'`),
    // In flight: the concurrency count of a pull and the lease sweep.
    index("bot_task_inflight_idx")
      .on(t.workspaceId, t.botId)
      .where(sql`${t.status} in ('LEASED', 'RUNNING')`),
    index("bot_task_list_idx").on(t.workspaceId, t.id.desc()),
    index("bot_task_bot_idx").on(t.workspaceId, t.botId, t.id.desc()),
  ],
);

/** A task's timeline (append-only, monthly partitions). */
export const taskEvents = pgTable(
  "task_event",
  {
    workspaceId: uuid().notNull(),
    id: bigserial({ mode: "number" }).notNull(),
    occurredAt: tstz().notNull().defaultNow(),
    taskId: uuid().notNull(),
    botId: uuid(),
    type: text().notNull(),
    actorUserId: uuid(),
    detail: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.occurredAt, t.id] }),
    index("task_event_task_idx").on(t.workspaceId, t.taskId, t.occurredAt),
  ],
);

/** Log lines from bots and tasks (append-only, monthly partitions; retention drops months). */
export const logs = pgTable(
  "log",
  {
    workspaceId: uuid().notNull(),
    id: bigserial({ mode: "number" }).notNull(),
    occurredAt: tstz().notNull().defaultNow(),
    level: logLevel().notNull(),
    message: text().notNull(),
    context: jsonb().$type<Record<string, unknown>>(),
    botId: uuid(),
    taskId: uuid(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.occurredAt, t.id] }),
    index("log_time_idx").on(t.workspaceId, t.occurredAt.desc(), t.id.desc()),
    index("log_bot_idx")
      .on(t.workspaceId, t.botId, t.occurredAt.desc())
      .where(sql`${t.botId} is not null`),
    index("log_task_idx")
      .on(t.workspaceId, t.taskId, t.occurredAt.desc())
      .where(sql`${t.taskId} is not null`),
    index("log_search_idx").using("gin", sql`to_tsvector('simple', ${t.message})`),
  ],
);

/** Actions a workspace declares for its own bots: a name and the JSON Schema of the payload. */
export const taskActions = pgTable(
  "task_action",
  {
    workspaceId: uuid()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    schema: jsonb().$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.name] })],
);

export type BotTask = typeof botTasks.$inferSelect;
export type TaskStatusValue = (typeof taskStatus.enumValues)[number];
export type LogLevelValue = (typeof logLevel.enumValues)[number];
export type TaskEvent = typeof taskEvents.$inferSelect;
export type LogRow = typeof logs.$inferSelect;
export type TaskAction = typeof taskActions.$inferSelect;
