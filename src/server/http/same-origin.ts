/**
 * Cross-site request refusal for the browser-facing route handlers that act on the session
 * cookie outside tRPC: uploads, exports, sign-out. SameSite=Lax cookies still ride along on a
 * top-level cross-site navigation (a link to an export) and on same-site sibling hosts, so
 * the cookie alone does not prove the request came from our pages.
 *
 * The browser says where a request comes from in `Sec-Fetch-Site` (which scripts cannot set);
 * older browsers and plain-http non-local origins only send `Origin`, compared with the app's.
 * A request carrying neither is not from a browser that could be tricked, and passes.
 */
import { env } from "@/env";
import { AppError } from "@/lib/errors";
import { errorResponse } from "./route-errors";

function appOrigin(req: Request): string {
  return new URL(env.NEXTAUTH_URL ?? req.url).origin;
}

export function isCrossSiteRequest(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  // "none": typed in the address bar or a bookmark. "same-site" is refused too: a sibling
  // subdomain is not necessarily ours.
  if (site) return site !== "same-origin" && site !== "none";
  const origin = req.headers.get("origin");
  return origin !== null && origin !== appOrigin(req);
}

function refusal(): AppError {
  return new AppError("FORBIDDEN", "request.crossSite");
}

/** For handlers that map thrown errors to responses: throws 403 FORBIDDEN. */
export function assertSameOrigin(req: Request): void {
  if (isCrossSiteRequest(req)) throw refusal();
}

/** For handlers that build their response directly: the 403 in the one JSON error shape. */
export function crossSiteResponse(req: Request): Response {
  return errorResponse(refusal(), req.headers.get("x-request-id") ?? "");
}
