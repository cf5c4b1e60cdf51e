import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import next from "next";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { createFastLane } from "./fast-lane";
import { httpMetrics, routeLabel } from "./metrics";
import { writeErrorResponse } from "./route-errors";

/**
 * One HTTP server per web process: the fast lane (ops endpoints and provider webhooks,
 * `fast-lane.ts`) is served by plain node:http, everything else goes to Next's request handler.
 */
export async function startHttpServer({ dev }: { dev: boolean }): Promise<Server> {
  const app = next({ dev, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const lane = createFastLane();

  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://internal");
    // Honour a caller's id (from a proxy) or mint one; Next and the logs both see it.
    const requestId =
      (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const fast = lane.match(req.method ?? "GET", url.pathname);
    res.on("finish", () => {
      const labels = {
        method: req.method ?? "GET",
        // Unknown paths (scanners) would mint a label each: 404s share one. Fast-lane routes
        // are labelled by pattern, whatever their parameters hold.
        route: fast
          ? lane.label(fast)
          : res.statusCode === 404
            ? "(not found)"
            : routeLabel(url.pathname),
        status: String(res.statusCode),
      };
      httpMetrics.requests.inc(labels);
      const seconds = (performance.now() - started) / 1000;
      httpMetrics.duration.observe(labels, seconds);
      if (!labels.route.startsWith("/_next/")) {
        const level = res.statusCode >= 500 ? "warn" : "debug";
        logger[level](
          {
            requestId,
            method: labels.method,
            path: url.pathname,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          "request",
        );
      }
    });
    if (fast) {
      void lane.serve(fast, req, res, url);
      return;
    }
    // writeErrorResponse logs the error with the request id.
    Promise.resolve(handle(req, res)).catch((err: unknown) =>
      writeErrorResponse(res, err, requestId),
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  logger.info({ url: `http://localhost:${env.PORT}`, dev }, "web server listening");
  return server;
}
