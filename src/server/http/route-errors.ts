import { httpStatusOf, toPublicError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** The JSON error response for a route handler: one shape, statuses mapped in lib/errors. */
export function errorResponse(err: unknown, requestId: string): Response {
  const pub = toPublicError(err, requestId);
  if (pub.code === "INTERNAL") logger.error({ err, requestId }, "unhandled error in route handler");
  return Response.json({ error: pub }, { status: httpStatusOf(pub) });
}
