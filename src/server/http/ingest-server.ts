import type { Server } from "node:http";
import { env } from "@/env";
import { AppError } from "@/lib/errors";
import { createFastLane } from "./fast-lane";
import { createHttpListener, listenOnAppPort } from "./http-listener";
import { writeErrorResponse } from "./route-errors";

/**
 * The ingest role's server (`npm run ingest`, docs/deploy.md): only the fast lane — agent
 * API, bot events, provider webhooks, health/readiness/version, metrics with their token —
 * with the same request ids, client addresses, headers and metrics as the web server. Any
 * other path is a JSON 404. Next is never imported, so the process starts in a moment and
 * holds no renderer: machine traffic scales on processes of its own.
 */
export function startIngestServer(): Promise<Server> {
  return listenOnAppPort(
    createHttpListener({
      lane: createFastLane(),
      next: (req, res) =>
        writeErrorResponse(
          res,
          new AppError("NOT_FOUND", "request.notFound"),
          String(req.headers["x-request-id"]),
        ),
      dev: false,
      appUrl: env.NEXTAUTH_URL,
      metricsToken: env.METRICS_TOKEN,
    }),
    "ingest server",
  );
}
