import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { ownerPool } from "@/server/db/client";
import { bossStarted, getBoss } from "@/server/queue/boss";
import type { FastLaneRoute } from "./fast-lane";
import { sendJson } from "./respond";

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

/**
 * Health, readiness and version, answered by the bare HTTP server before Next's router: cheap
 * for probes, and alive even when the app layer is wedged. Never rate limited (probes come
 * often and from one address). Metrics are private: metrics-endpoint.ts.
 */
export function opsRoutes(): FastLaneRoute[] {
  return [
    {
      method: "GET",
      path: "/api/health",
      handler: async ({ res }) =>
        sendJson(res, 200, { status: "ok", uptime_s: Math.round(process.uptime()) }),
    },
    {
      method: "GET",
      path: "/api/ready",
      handler: async ({ res }) => {
        const checks = await checkReady();
        const ok = Object.values(checks).every((v) => v === "ok");
        if (!ok) logger.warn({ checks }, "not ready");
        sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "unavailable", checks });
      },
    },
    {
      method: "GET",
      path: "/api/version",
      handler: async ({ res }) => sendJson(res, 200, { version, commit: env.APP_COMMIT ?? null }),
    },
  ];
}
