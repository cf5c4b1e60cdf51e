import type { ConnectionOptions, JobInsert } from "pg-boss";
import { z } from "zod";
import { getBoss } from "@/server/queue/boss";
import { sendOptionsOf, type JobDefinition, type JobSendOptions } from "./define";

/** Per-call options: win over the contract's `send`. `db` sends inside the caller's transaction. */
export type EnqueueOptions = JobSendOptions & ConnectionOptions;

/** Per-call options of `enqueueMany`, applied to every job (the contract's `send` per payload). */
export type EnqueueManyOptions = Omit<JobSendOptions, "singletonNextSlot"> & ConnectionOptions;

/**
 * Sends one job after checking its payload against the contract's schema (a ZodError for a
 * bad one, before anything reaches the queue). Resolves with the job id, or null when a
 * singleton/throttle option kept it out.
 */
export async function enqueue<Out, In>(
  job: JobDefinition<Out, In>,
  payload: NoInfer<In>,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const data = job.schema.parse(payload);
  const boss = await getBoss();
  return boss.send(job.name, payload as object, { ...sendOptionsOf(job, data), ...options });
}

/**
 * Sends many jobs in one statement (`boss.insert`), each payload checked first: one bad
 * payload refuses the whole lot (a ZodError whose paths start with the item's index).
 * Resolves with the ids of the jobs inserted (singleton conflicts are skipped).
 */
export async function enqueueMany<Out, In>(
  job: JobDefinition<Out, In>,
  items: readonly NoInfer<In>[],
  { db, ...options }: EnqueueManyOptions = {},
): Promise<string[]> {
  const jobs: JobInsert[] = [];
  const issues: z.core.$ZodIssue[] = [];
  items.forEach((payload, index) => {
    const parsed = job.schema.safeParse(payload);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ ...issue, path: [index, ...issue.path] });
      return;
    }
    // insert() has no "next slot" throttling; the rest of the send options map one to one.
    const { singletonNextSlot: _nextSlot, ...defaults } = sendOptionsOf(job, parsed.data);
    jobs.push({ ...defaults, ...options, data: payload as object });
  });
  if (issues.length > 0) throw new z.ZodError(issues);
  if (jobs.length === 0) return [];
  const boss = await getBoss();
  return (await boss.insert(job.name, jobs, { returnId: true, db })) ?? [];
}
