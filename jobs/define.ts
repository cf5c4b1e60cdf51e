import type { Queue, SendOptions, WorkOptions } from "pg-boss";
import type { z } from "zod";

/** Queue options: created and brought up to date in every process at start (queue/boss.ts). */
export type JobQueueOptions = Omit<Queue, "name">;

/** Default options of every job sent to the queue; per-call options of `enqueue` win. */
export type JobSendOptions = Omit<SendOptions, "db">;

/**
 * How this process's workers fetch the queue. `perJobResults` is always on (worker.ts).
 * `drain`: a worker that finishes a job fetches the next one at once instead of waiting out
 * the rest of its poll interval (pg-boss polls at most every 0.5 s, so a worker whose jobs
 * take 100 ms would otherwise idle four fifths of the time while the queue is full); the
 * first fetch that comes back empty returns it to polling.
 */
export type JobWorkOptions = { drain?: boolean } & Pick<
  WorkOptions,
  | "batchSize"
  | "localConcurrency"
  | "localGroupConcurrency"
  | "groupConcurrency"
  | "pollingIntervalSeconds"
  | "notifyPollingIntervalSeconds"
  | "heartbeatRefreshSeconds"
  | "minPriority"
  | "maxPriority"
>;

/** What a handler sees of one job: its payload already parsed by the contract's schema. */
export type JobContext<T> = {
  id: string;
  /** 0 on the first attempt; a handler can tell a retry (resume) from a first run. */
  retryCount: number;
  /** Aborted when pg-boss gives the job up (expired, heartbeat lost, shutting down). */
  signal: AbortSignal;
  data: T;
};

/**
 * The one contract of a queue: name, queue options, payload schema, default send options,
 * work options, optional cron, handler. `Out`/`In` are the schema's parsed and accepted
 * payload types: `enqueue` takes `In`, the handler gets `Out`. Payloads travel as JSON, so
 * the schema must accept the JSON form of what it accepts (e.g. dates as ISO strings).
 */
export type JobDefinition<Out = unknown, In = Out> = {
  name: string;
  options: JobQueueOptions;
  schema: z.ZodType<Out, In>;
  /** Defaults for each job; a function of the parsed payload for e.g. a singletonKey. */
  send?: JobSendOptions | ((data: Out) => JobSendOptions);
  work?: JobWorkOptions;
  /** Installed by every worker process that runs the queue (`data` must pass the schema). */
  cron?: { expression: string; tz?: string; data?: In };
  /**
   * Must be idempotent: pg-boss delivers at least once. Import services lazily inside the body
   * (`await import(...)`): services import contracts to enqueue (docs/architecture.md, Jobs).
   */
  handle(job: JobContext<Out>): Promise<unknown>;
};

/** Any contract, for lists of them (the registry, the worker). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of contracts
export type AnyJobDefinition = JobDefinition<any, any>;

export function defineJob<Out, In = Out>(def: JobDefinition<Out, In>): JobDefinition<Out, In> {
  return def;
}

/** The contract's send options for one parsed payload. */
export function sendOptionsOf<Out, In>(job: JobDefinition<Out, In>, data: Out): JobSendOptions {
  return typeof job.send === "function" ? job.send(data) : (job.send ?? {});
}
