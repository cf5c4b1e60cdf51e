/**
 * The fast lane: routes served by bare node:http before Next's router (DESIGN §8) — ops
 * endpoints and provider webhooks. `match` decides synchronously whether a request is ours
 * (so the server can label metrics by route pattern); `serve` answers it and never rejects.
 * Every error leaves in the app's one JSON error shape.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { AppError, restErrorBody, toPublicError } from "@/lib/errors";
import { agentRoutes } from "./agent-routes";
import { clientKey } from "./client-ip";
import { opsRoutes } from "./ops";
import { TokenBucketLimiter, type BucketOptions } from "./rate-limit";
import { sendJson } from "./respond";
import { writeErrorResponse } from "./route-errors";
import { createRouteTable, type Route, type RouteMatch } from "./router";
import { webhookRoutes } from "./webhook-routes";

export type RateLimitName = "webhooks" | "handshake" | "agents";
export type FastLaneRoute = Route<{ rateLimit?: RateLimitName }>;
export type FastLaneMatch = RouteMatch<{ rateLimit?: RateLimitName }>;

/**
 * Per client address and process (docs/webhooks.md). Webhooks: Meta advises capacity for 3×
 * the outgoing message rate in status callbacks, spread over its many sending addresses;
 * 200/s sustained from one address is well above that for one number and far below what it
 * takes to saturate a process. The handshake only happens when someone clicks "Verify" in
 * Meta's dashboard, and it compares against every bot's token, so it is kept scarce.
 */
export const DEFAULT_RATE_LIMITS: Record<RateLimitName, BucketOptions> = {
  webhooks: { capacity: 400, refillPerSecond: 200 },
  handshake: { capacity: 10, refillPerSecond: 0.2 },
  // Agent API and bot events (docs/agents.md): a fleet behind one address posts log lines
  // and pulls at a high rate; this only stops a runaway client from starving the process.
  agents: { capacity: 5000, refillPerSecond: 2500 },
};
export const DEFAULT_MAX_CLIENTS = 10_000;

export type FastLaneOptions = {
  rateLimits?: Partial<Record<RateLimitName, BucketOptions>>;
  /** Buckets kept per limit (least recently seen evicted). */
  maxClients?: number;
  routes?: FastLaneRoute[];
};

export type FastLane = {
  match(method: string, pathname: string): FastLaneMatch | null;
  serve(match: FastLaneMatch, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** The pattern to label metrics with (bounded cardinality, unlike raw paths). */
  label(match: FastLaneMatch): string;
  /** A listener serving only the fast lane (404 otherwise): for tests or an ingest process. */
  listener: RequestListener;
};

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return (typeof given === "string" && given.slice(0, 64)) || randomUUID();
}

export function createFastLane(options: FastLaneOptions = {}): FastLane {
  const table = createRouteTable(
    options.routes ?? [...opsRoutes(), ...webhookRoutes(), ...agentRoutes()],
  );
  const maxClients = options.maxClients ?? DEFAULT_MAX_CLIENTS;
  const limiters = Object.fromEntries(
    (Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]).map((name) => [
      name,
      new TokenBucketLimiter({
        ...DEFAULT_RATE_LIMITS[name],
        ...options.rateLimits?.[name],
        maxClients,
      }),
    ]),
  ) as Record<RateLimitName, TokenBucketLimiter>;

  async function serve(
    match: FastLaneMatch,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const requestId = requestIdOf(req);
    try {
      if (match.kind === "method_not_allowed") {
        // lib/errors has no 405 code: the status and the Allow header carry the meaning.
        const err = new AppError("BAD_REQUEST", "request.methodNotAllowed", {
          params: { methods: match.allow.join(", ") },
        });
        sendJson(res, 405, restErrorBody(toPublicError(err, requestId)), {
          allow: match.allow.join(", "),
        });
        return;
      }
      const { route, params } = match;
      if (route.rateLimit) {
        const verdict = limiters[route.rateLimit].take(clientKey(req));
        if (!verdict.ok) {
          const err = new AppError("TOO_MANY_REQUESTS", "request.rateLimited");
          writeErrorResponse(res, err, requestId, {
            "retry-after": String(verdict.retryAfterSeconds),
          });
          return;
        }
      }
      await route.handler({ req, res, url, params, requestId });
    } catch (err) {
      writeErrorResponse(res, err, requestId);
    }
  }

  return {
    match: (method, pathname) => table.match(method, pathname),
    serve,
    // Same template syntax as the app's routes in metrics: `/api/webhooks/infobip/{botId}`.
    label: (match) =>
      (match.kind === "route" ? match.route.path : match.pattern).replace(/:(\w+)/g, "{$1}"),
    listener: (req, res) => {
      const url = new URL(req.url ?? "/", "http://internal");
      const match = table.match(req.method ?? "GET", url.pathname);
      if (match) return void serve(match, req, res, url);
      writeErrorResponse(res, new AppError("NOT_FOUND", "request.notFound"), requestIdOf(req));
    },
  };
}
