import type { Queue, WorkOptions } from "pg-boss";
import type { z } from "zod";

/** One job: its queue name, payload schema, queue/work options, optional cron, and handler. */
export type JobDefinition<T = unknown> = {
  queue: { name: string; options: Omit<Queue, "name"> };
  schema: z.ZodType<T>;
  work?: Pick<WorkOptions, "localConcurrency" | "pollingIntervalSeconds">;
  cron?: { expression: string; tz?: string };
  /** Must be idempotent: pg-boss delivers at least once. */
  handle(data: T): Promise<unknown>;
};

export function defineJob<T>(def: JobDefinition<T>): JobDefinition<T> {
  return def;
}
