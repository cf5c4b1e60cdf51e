/**
 * The agent loop: pull, wait for each task's slot, say it started, keep its lease alive,
 * run the handler, report the outcome; back off (exponential with jitter) when there is no
 * work or SalesTrack cannot be reached, and stop when `signal` aborts. Every call about a
 * task names its attempt: once SalesTrack says that attempt is over (409), the task may be
 * another worker's, and nothing more is reported for it.
 */
import type { AgentCalls as Client } from "./client";
import { SalesTrackError, type LogLevel, type Task } from "./types";

export type TaskContext = {
  signal: AbortSignal;
  log(message: string, level?: LogLevel, context?: Record<string, unknown>): Promise<void>;
  progress(progress: number, message?: string): Promise<void>;
};

/** What a handler returns on success; throw to fail (set `retryable = false` on permanent errors). */
export type TaskOutput = { providerMessageId?: string; output?: Record<string, unknown> } | void;
export type TaskHandler = (task: Task, ctx: TaskContext) => Promise<TaskOutput>;

export type RunAgentOptions = {
  /** Tasks pulled (and run in parallel) at once. */
  concurrency?: number;
  worker?: string;
  signal?: AbortSignal;
  /** Wait when there is no work: starts here, doubles up to `maxIdleMs`. */
  idleMs?: number;
  maxIdleMs?: number;
  heartbeatMs?: number;
  onError?: (err: unknown) => void;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });

const jitter = (ms: number) => ms / 2 + Math.random() * (ms / 2);

type Failure = Error & { code?: string; retryable?: boolean };

/** SalesTrack's answer when the attempt a call names is over (or the task is gone). */
const attemptOver = (err: unknown) =>
  err instanceof SalesTrackError && (err.status === 409 || err.status === 404);

async function runOne(
  client: Client,
  task: Task,
  handler: TaskHandler,
  { signal, heartbeatMs }: { signal?: AbortSignal; heartbeatMs: number },
): Promise<void> {
  await sleep(Math.max(0, Date.parse(task.notBefore) - Date.now()), signal);
  const { id: taskId, attempt } = task;
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal?.addEventListener("abort", stop);
  const beat = setInterval(() => {
    client.heartbeat(taskId, attempt).catch((err: unknown) => {
      // The attempt is over (requeued, cancelled, timed out): stop working on it.
      if (attemptOver(err)) stop();
    });
  }, heartbeatMs);
  // Lost, not shut down: the lease is gone and another worker may have the task by now.
  const lost = () => abort.signal.aborted && !signal?.aborted;
  const ctx: TaskContext = {
    signal: abort.signal,
    log: async (message, level = "info", context) => {
      await client.send({ type: "TASK_LOG", data: { taskId, level, message, context } });
    },
    progress: async (progress, message) => {
      try {
        await client.send({ type: "TASK_PROGRESS", data: { taskId, attempt, progress, message } });
      } catch (err) {
        if (attemptOver(err)) stop();
        throw err;
      }
    },
  };
  try {
    await client.send({ type: "TASK_STARTED", data: { taskId, attempt } });
    const out = (await handler(task, ctx)) ?? {};
    if (lost()) return; // the handler finished after the lease was lost: nothing to report
    await client.result(taskId, attempt, { ok: true, ...out });
  } catch (err) {
    if (lost() || attemptOver(err)) return; // the attempt is over: nothing to report
    const failure = err as Failure;
    await client
      .result(taskId, attempt, {
        ok: false,
        error: (failure.code ?? "agent_error").slice(0, 200),
        message: String(failure.message ?? err).slice(0, 2000),
        retryable: failure.retryable,
      })
      .catch(() => undefined); // the lease sweep requeues it if this never arrives
  } finally {
    clearInterval(beat);
    signal?.removeEventListener("abort", stop);
  }
}

export async function runAgent(
  client: Client,
  handler: TaskHandler,
  {
    concurrency = 1,
    worker = "agent",
    signal,
    idleMs = 1_000,
    maxIdleMs = 30_000,
    heartbeatMs = 15_000,
    onError = () => undefined,
  }: RunAgentOptions = {},
): Promise<void> {
  let wait = idleMs;
  let lastBeat = 0;
  while (!signal?.aborted) {
    try {
      if (Date.now() - lastBeat > heartbeatMs) {
        await client.send({ type: "HEARTBEAT" });
        lastBeat = Date.now();
      }
      const { tasks, retryAfterSeconds } = await client.pull({ limit: concurrency, worker });
      if (tasks.length === 0) {
        await sleep(retryAfterSeconds ? retryAfterSeconds * 1000 : jitter(wait), signal);
        wait = Math.min(maxIdleMs, wait * 2);
        continue;
      }
      wait = idleMs;
      await Promise.all(
        tasks.map((task) => runOne(client, task, handler, { signal, heartbeatMs })),
      );
    } catch (err) {
      onError(err);
      const hinted = err instanceof SalesTrackError ? err.retryAfterSeconds : null;
      await sleep(hinted ? hinted * 1000 : jitter(wait), signal);
      wait = Math.min(maxIdleMs, wait * 2);
    }
  }
}
