import type { ServerResponse } from "node:http";
import { httpStatusOf, restErrorBody, toPublicError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { RetryLaterError } from "./rate-limit";
import { sendJson } from "./respond";

/** `Retry-After` for refusals that know when to come back (rate limits, saturation). */
function retryHeaders(err: unknown): Record<string, string> {
  return err instanceof RetryLaterError ? { "retry-after": String(err.retryAfterSeconds) } : {};
}

/** The JSON error response for a route handler: one shape, statuses mapped in lib/errors. */
export function errorResponse(err: unknown, requestId: string): Response {
  const pub = toPublicError(err, requestId);
  if (pub.code === "INTERNAL") logger.error({ err, requestId }, "unhandled error in route handler");
  return Response.json(restErrorBody(pub), {
    status: httpStatusOf(pub),
    headers: retryHeaders(err),
  });
}

/** The same error shape written by a fast-lane (node:http) handler. */
export function writeErrorResponse(
  res: ServerResponse,
  err: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const pub = toPublicError(err, requestId);
  if (pub.code === "INTERNAL") logger.error({ err, requestId }, "unhandled error in request");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, httpStatusOf(pub), restErrorBody(pub), { ...retryHeaders(err), ...headers });
}
