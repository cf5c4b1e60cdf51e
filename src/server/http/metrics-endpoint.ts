/**
 * Prometheus metrics, private (docs/security.md, "Surface"). Two ways in:
 *
 * - `METRICS_LISTEN` (default 127.0.0.1:9464): a second, tiny node:http server in the web
 *   process answering `GET /metrics` with no credentials — reachable only from where that
 *   address is (the host itself by default; a sidecar or node agent scrapes it there);
 * - the main port's `/api/metrics`, only with `Authorization: Bearer $METRICS_TOKEN`. Without
 *   a valid token the request goes on to Next like any unknown path and gets its 404, so the
 *   endpoint's existence is not revealed.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { logger } from "@/lib/logger";
import { bossStarted, getBoss } from "@/server/queue/boss";
import { metricsRegistry, queueGauge } from "./metrics";
import { baseSecurityHeaders } from "./security-headers";

export const METRICS_PATH = "/api/metrics";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True only for a GET/HEAD carrying the configured token; never true without a token. */
export function metricsAuthorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const presented = BEARER.exec(req.headers.authorization ?? "")?.[1];
  return presented !== undefined && sameSecret(presented, token);
}

/** Queue depths come from Postgres, so every web process reports the same cluster-wide view. */
async function refreshQueueGauge(): Promise<void> {
  if (!bossStarted()) return;
  try {
    const queues = await (await getBoss()).getQueues();
    for (const q of queues) {
      for (const [state, value] of Object.entries({
        queued: q.queuedCount,
        active: q.activeCount,
        deferred: q.deferredCount,
        failed: q.failedCount,
      })) {
        queueGauge.set({ queue: q.name, state }, value);
      }
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "queue metrics unavailable");
  }
}

export async function serveMetrics(res: ServerResponse): Promise<void> {
  try {
    await refreshQueueGauge();
    const body = await metricsRegistry.metrics();
    res.writeHead(200, {
      "content-type": metricsRegistry.contentType,
      "cache-control": "no-store",
    });
    res.end(body);
  } catch (err) {
    logger.error({ err }, "metrics could not be collected");
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("metrics unavailable\n");
  }
}

/** "127.0.0.1:9464" / "[::1]:9464" → host and port; null for "off". */
export function parseListen(listen: string): { host: string; port: number } | null {
  if (listen === "off") return null;
  const at = listen.lastIndexOf(":");
  return {
    host: listen.slice(0, at).replace(/^\[(.*)\]$/, "$1"),
    port: Number(listen.slice(at + 1)),
  };
}

/** The scrape-only listener. GET /metrics (and /api/metrics, for one scrape config); 404 else. */
export function createMetricsListener() {
  const headers = baseSecurityHeaders({ https: false });
  return (req: IncomingMessage, res: ServerResponse) => {
    const pathname = (req.url ?? "/").split("?")[0];
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (
      (req.method === "GET" || req.method === "HEAD") &&
      (pathname === "/metrics" || pathname === METRICS_PATH)
    ) {
      void serveMetrics(res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
  };
}

/**
 * Starts the listener; a port already taken (a second web process on the host) is logged and
 * skipped rather than stopping the web server — that process is then scraped by token only.
 */
export async function startMetricsServer(listen: string): Promise<Server | null> {
  const address = parseListen(listen);
  if (!address) return null;
  const server = createServer(createMetricsListener());
  return new Promise((resolve) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      logger.warn(
        { err: err.message, listen },
        "metrics listener not started (METRICS_LISTEN); use METRICS_TOKEN on the main port",
      );
      resolve(null);
    });
    server.listen(address.port, address.host, () => {
      logger.info({ url: `http://${listen}/metrics` }, "metrics listener");
      resolve(server);
    });
  });
}
