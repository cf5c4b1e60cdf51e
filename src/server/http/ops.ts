import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { ownerPool } from "@/server/db/client";
import { bossStarted, getBoss } from "@/server/queue/boss";
import { metricsRegistry, queueGauge } from "./metrics";

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

const version: string = (() => {
  try {
    return (
      JSON.parse(readFileSync(path.resolve(process.cwd(), "package.json"), "utf8")) as {
        version: string;
      }
    ).version;
  } catch {
    return "unknown";
  }
})();

async function checkReady(): Promise<Record<string, "ok" | string>> {
  const checks: Record<string, string> = {};
  const withTimeout = <T>(p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error("timeout")), 2000)),
    ]);
  try {
    await withTimeout(ownerPool().query("select 1"));
    checks.database = "ok";
  } catch (err) {
    checks.database = `unreachable: ${(err as Error).message}`;
  }
  try {
    if (!bossStarted()) throw new Error("not started");
    const boss = await withTimeout(getBoss());
    await withTimeout(boss.getQueues());
    checks.queue = "ok";
  } catch (err) {
    checks.queue = `unreachable: ${(err as Error).message}`;
  }
  return checks;
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

/**
 * Health, readiness, version and metrics, answered by the bare HTTP server before Next's
 * router: cheap for probes and scrapers, and alive even when the app layer is wedged.
 */
export async function handleOps(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  switch (pathname) {
    case "/api/health":
      json(res, 200, { status: "ok", uptime_s: Math.round(process.uptime()) });
      return true;
    case "/api/ready": {
      const checks = await checkReady();
      const ok = Object.values(checks).every((v) => v === "ok");
      if (!ok) logger.warn({ checks }, "not ready");
      json(res, ok ? 200 : 503, { status: ok ? "ready" : "unavailable", checks });
      return true;
    }
    case "/api/version":
      json(res, 200, { version, commit: env.APP_COMMIT ?? null });
      return true;
    case "/api/metrics":
      await refreshQueueGauge();
      res.writeHead(200, { "content-type": metricsRegistry.contentType });
      res.end(await metricsRegistry.metrics());
      return true;
    default:
      return false;
  }
}
