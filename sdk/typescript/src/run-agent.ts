/**
 * The agent loop: pull, wait for each task's slot, say it started, keep its lease alive,
 * run the handler, report the outcome; back off (exponential with jitter) when there is no
 * work or SalesTrack cannot be reached, and stop when `signal` aborts.
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

async function runOne(
  client: Client,
  task: Task,
  handler: TaskHandler,
  { signal, heartbeatMs }: { signal?: AbortSignal; heartbeatMs: number },
): Promise<void> {
  await sleep(Math.max(0, Date.parse(task.notBefore) - Date.now()), signal);
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal?.addEventListener("abort", stop);
  const beat = setInterval(() => {
    client.heartbeat(task.id).catch((err: unknown) => {
      // The lease is gone (requeued, cancelled, timed out): stop working on it.
      if (err instanceof SalesTrackError && (err.status === 409 || err.status === 404)) stop();
    });
  }, heartbeatMs);
  const ctx: TaskContext = {
    signal: abort.signal,
    log: async (message, level = "info", context) => {
      await client.send({ type: "TASK_LOG", data: { taskId: task.id, level, message, context } });
    },
    progress: async (progress, message) => {
      await client.send({ type: "TASK_PROGRESS", data: { taskId: task.id, progress, message } });
    },
  };
  try {
    await client.send({ type: "TASK_STARTED", data: { taskId: task.id } });
    const out = (await handler(task, ctx)) ?? {};
    await client.result(task.id, { ok: true, ...out });
  } catch (err) {
    if (abort.signal.aborted && !signal?.aborted) return; // lease lost: nothing to report
    const failure = err as Failure;
    await client
      .result(task.id, {
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
