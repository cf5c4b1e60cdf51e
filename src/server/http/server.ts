import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import next from "next";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { httpMetrics, routeLabel } from "./metrics";
import { handleOps } from "./ops";

/**
 * One HTTP server per web process: the fast lane (ops endpoints now; bot and webhook ingest
 * later) is served by plain node:http, everything else goes to Next's request handler.
 */
export async function startHttpServer({ dev }: { dev: boolean }): Promise<Server> {
  const app = next({ dev, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://internal");
    // Honour a caller's id (from a proxy) or mint one; Next and the logs both see it.
    const requestId =
      (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    res.on("finish", () => {
      const labels = {
        method: req.method ?? "GET",
        // Unknown paths (scanners) would mint a label each: 404s share one.
        route: res.statusCode === 404 ? "(not found)" : routeLabel(url.pathname),
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
    handleOps(req, res, url.pathname)
      .then((done) => (done ? undefined : handle(req, res)))
      .catch((err) => {
        logger.error({ err, requestId, path: url.pathname }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Internal error", requestId }));
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  logger.info({ url: `http://localhost:${env.PORT}`, dev }, "web server listening");
  return server;
}
