import { randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { CLIENT_IP_HEADER } from "@/lib/request-meta";
import { clientAddress, forwardedHttps, trustedProxies } from "./client-ip";
import type { FastLane } from "./fast-lane";
import { httpMetrics, routeLabel } from "./metrics";
import {
  METRICS_PATH,
  metricsAuthorized,
  serveMetrics,
  startMetricsServer,
} from "./metrics-endpoint";
import { writeErrorResponse } from "./route-errors";
import {
  applyDefaultHeaders,
  baseSecurityHeaders,
  contentSecurityPolicy,
  createNonce,
} from "./security-headers";
import type { TrustedProxies } from "./trusted-proxies";

/**
 * TRACE is a method a WHATWG Request cannot carry: Next threw on it, a 500 for every path
 * (found by schemathesis). Nothing here serves it, so it is refused before reaching Next.
 * (Node's parser already answers TRACK with 400, and CONNECT never becomes a request.)
 */
const ALLOWED_METHODS = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE";

export type HttpListenerOptions = {
  lane: FastLane;
  /** Everything off the fast lane: Next's handler (web), a 404 (ingest), a stand-in in tests. */
  next: (req: IncomingMessage, res: ServerResponse) => Promise<unknown> | unknown;
  dev: boolean;
  /** NEXTAUTH_URL: an https app URL means every response is https, proxy or not. */
  appUrl?: string;
  metricsToken?: string;
  /** Extra `form-action` origins for the CSP: the SSO issuer. */
  formActionOrigins?: string[];
  trusted?: TrustedProxies;
  label?: (pathname: string) => string;
};

/**
 * Everything a request goes through before its handler, whichever serves it: a request id,
 * the client address worked out once (for audit rows and rate limits), the security headers
 * (CSP with a fresh nonce for what Next renders), and the metrics on the way out.
 */
export function createHttpListener({
  lane,
  next: handle,
  dev,
  appUrl,
  metricsToken,
  formActionOrigins = [],
  trusted = trustedProxies(),
  label = routeLabel,
}: HttpListenerOptions): RequestListener {
  const appIsHttps = appUrl?.startsWith("https:") ?? false;

  return (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://internal");
    // Honour a caller's id (from a proxy) or mint one; Next and the logs both see it.
    const requestId =
      (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    // Always overwritten: whatever a client sent under this name is never believed.
    req.headers[CLIENT_IP_HEADER] = clientAddress(
      req.socket.remoteAddress ?? "",
      req.headers["x-forwarded-for"],
      trusted,
    );
    const https = appIsHttps || forwardedHttps(req, trusted);
    const base = baseSecurityHeaders({ https });

    const method = req.method ?? "GET";
    const metrics = url.pathname === METRICS_PATH && metricsAuthorized(req, metricsToken);
    const fast = metrics ? null : lane.match(method, url.pathname);
    if (metrics || fast) {
      applyDefaultHeaders(res, base);
    } else {
      // Next takes the nonce from the request's CSP header and puts it on every script it
      // renders; layout.tsx reads x-nonce for the scripts it adds (next-themes).
      const nonce = createNonce();
      const csp = contentSecurityPolicy({ nonce, dev, https, formActionOrigins });
      req.headers["content-security-policy"] = csp;
      delete req.headers["content-security-policy-report-only"];
      req.headers["x-nonce"] = nonce;
      applyDefaultHeaders(res, { ...base, "content-security-policy": csp });
    }

    res.on("finish", () => {
      const labels = {
        method,
        // Route templates only: a label set bounded by the code, whatever paths come in.
        route: metrics ? METRICS_PATH : fast ? lane.label(fast) : label(url.pathname),
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
            method,
            path: url.pathname,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          "request",
        );
      }
    });
    if (method === "TRACE") {
      res.writeHead(405, { allow: ALLOWED_METHODS, "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: { code: "METHOD_NOT_ALLOWED", message: `${method} is not supported`, requestId },
        }),
      );
      return;
    }
    if (metrics) {
      void serveMetrics(res);
      return;
    }
    if (fast) {
      void lane.serve(fast, req, res, url);
      return;
    }
    // writeErrorResponse logs the error with the request id.
    Promise.resolve(handle(req, res)).catch((err: unknown) =>
      writeErrorResponse(res, err, requestId),
    );
  };
}

/**
 * Listens on PORT/HOST with `listener`, and starts the metrics listener (METRICS_LISTEN) that
 * closes with it. Shared by the web server and the ingest server.
 */
export async function listenOnAppPort(listener: RequestListener, what: string): Promise<Server> {
  const server = createServer(listener);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const metricsServer = await startMetricsServer(env.METRICS_LISTEN);
  server.on("close", () => metricsServer?.close());
  logger.info({ url: `http://localhost:${env.PORT}` }, `${what} listening`);
  return server;
}
