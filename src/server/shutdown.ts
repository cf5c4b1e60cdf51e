import type { Server, ServerResponse } from "node:http";

export type DrainResult = { streamsClosed: number; connectionsCut: number };
export type Drainer = {
  /**
   * Stops accepting connections, ends the open event streams at once, lets every other
   * request finish until `deadlineMs` has passed, then cuts whatever is still open. Resolves
   * once the server has closed.
   */
  drain(deadlineMs: number): Promise<DrainResult>;
};

function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader("content-type");
  return String(Array.isArray(type) ? type[0] : (type ?? ""))
    .toLowerCase()
    .startsWith("text/event-stream");
}

/**
 * Follows the server's open responses so a shutdown can tell live streams from ordinary
 * requests. `server.close()` alone waits for every connection: an SSE subscription (live
 * import or campaign progress) never ends on its own, and a keep-alive connection lingers
 * until its client sends again, so the process would outlive any orchestrator's grace
 * period and be killed mid-job instead of stopping cleanly.
 */
export function createDrainer(server: Server): Drainer {
  const open = new Set<ServerResponse>();
  server.on("request", (_req, res: ServerResponse) => {
    open.add(res);
    res.once("close", () => open.delete(res));
  });

  return {
    async drain(deadlineMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams first: their browsers reconnect right away (to another replica, or to
      // this one once restarted) and read the current state again, so nothing is lost.
      let streamsClosed = 0;
      for (const res of open) {
        if (isEventStream(res)) {
          streamsClosed++;
          res.destroy();
        }
      }
      // A keep-alive connection becomes idle once its response is sent; close each then,
      // instead of waiting for its client to speak again.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      let connectionsCut = 0;
      const deadline = setTimeout(() => {
        connectionsCut = open.size;
        server.closeAllConnections();
      }, deadlineMs);
      try {
        await closed;
      } finally {
        clearInterval(idle);
        clearTimeout(deadline);
      }
      return { streamsClosed, connectionsCut };
    },
  };
}

const stopping = new AbortController();

/**
 * Aborted when the process starts shutting down. For work that never finishes on its own and
 * is safe to end early — the `stats.fold` loop — so a graceful stop does not wait for it
 * until the deadline; jobs that must finish (a batch of sends) keep running in the budget.
 */
export const shutdownSignal: AbortSignal = stopping.signal;

export type ShutdownParts = {
  drainer: Drainer | null;
  /** Gives in-flight jobs the time left, then fails them for a retry (queue/boss.ts). */
  stopQueue: (timeoutMs: number) => Promise<void>;
  closeDatabase: () => Promise<void>;
  log: (obj: object, msg: string) => void;
};

/**
 * Stops a SalesTrack process within `deadlineMs`, which must stay under the orchestrator's
 * grace period (compose `stop_grace_period: 30s`, Kubernetes' default 30 s) so the process
 * exits on its own instead of being killed.
 *
 * HTTP drains first, then the queue gets the time left (at least a second): a request still
 * running may enqueue a job, which needs the queue open. A worker's running jobs are not
 * interrupted while HTTP drains — they simply keep running inside the same budget — and
 * whatever has not finished when it runs out is failed by pg-boss and retried elsewhere.
 */
export async function shutDown(parts: ShutdownParts, deadlineMs: number): Promise<void> {
  const started = Date.now();
  stopping.abort();
  if (parts.drainer) {
    const http = await parts.drainer.drain(deadlineMs);
    parts.log({ ...http, ms: Date.now() - started }, "http server closed");
  }
  await parts.stopQueue(Math.max(1_000, deadlineMs - (Date.now() - started)));
  await parts.closeDatabase();
  parts.log({ ms: Date.now() - started }, "shutdown complete");
}
