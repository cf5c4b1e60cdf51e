/**
 * The REST API's front door for API-key clients. `withApiKey(scope, handler)` authenticates
 * the key (401), checks its scope (403), loads the workspace the key belongs to and turns
 * every thrown error into the one JSON error shape — so a route handler holds only its logic.
 */
import { AppError } from "@/lib/errors";
import { requestMetaFromHeaders, type RequestMeta } from "@/lib/request-meta";
import type { ApiKeyScope } from "@/modules/apikeys/apikeys.schema";
import { authenticateApiKey } from "@/modules/apikeys/apikeys.service";
import { withTenant, type Tx } from "@/server/db/tenant";
import { RetryLaterError, TokenBucketLimiter, type BucketOptions } from "./rate-limit";
import { errorResponse } from "./route-errors";

/**
 * Per API key and process: 600 requests a minute sustained, in bursts of up to 600 (a batch
 * job paging through contacts). Keyed by the key's id once authenticated, so a stranger
 * presenting someone's key prefix cannot spend its budget. Bounded like every limiter here.
 */
export const API_KEY_RATE_LIMIT: BucketOptions = { capacity: 600, refillPerSecond: 10 };
const holder = globalThis as { __salestrackApiKeyLimiter?: TokenBucketLimiter };
const apiKeyLimiter = (holder.__salestrackApiKeyLimiter ??= new TokenBucketLimiter({
  ...API_KEY_RATE_LIMIT,
  maxClients: 10_000,
}));

/**
 * Per client address and process: failed key checks (an unknown, revoked or mistyped key),
 * 30 in a burst, then one every 2 s. Only failures are charged: a key-guessing client is
 * answered 429 before each guess costs a hash and a query on the shared owner pool.
 */
export const API_KEY_FAILURE_LIMIT: BucketOptions = { capacity: 30, refillPerSecond: 0.5 };
const failureHolder = globalThis as { __salestrackApiKeyFailures?: TokenBucketLimiter };
const failureLimiter = (failureHolder.__salestrackApiKeyFailures ??= new TokenBucketLimiter({
  ...API_KEY_FAILURE_LIMIT,
  maxClients: 10_000,
}));

export type ApiRequestContext<P> = {
  /** The workspace is the key's: clients never choose it. */
  workspace: { id: string; defaultCountry: string };
  apiKeyId: string;
  /** Display prefix of the key (`st_xxxxxxx`), safe to log and to use as an audit label. */
  keyPrefix: string;
  meta: RequestMeta;
  params: P;
  /** Runs `fn` in one transaction with the workspace's row-level security context. */
  tenant: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
};

type RouteContext<P> = { params: Promise<P> };

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The presented secret: `Authorization: Bearer st_…`, or `X-Api-Key: st_…`. */
export function presentedApiKey(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth) return BEARER.exec(auth)?.[1] ?? null;
  return headers.get("x-api-key")?.trim() || null;
}

function finish(res: Response, requestId: string): Response {
  res.headers.set("x-request-id", requestId);
  if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
  if (res.status === 401) res.headers.set("www-authenticate", 'Bearer realm="salestrack"');
  return res;
}

export function withApiKey<P = Record<string, never>>(
  scope: ApiKeyScope,
  handler: (req: Request, ctx: ApiRequestContext<P>) => Promise<Response>,
) {
  return async (req: Request, route?: RouteContext<P>): Promise<Response> => {
    const meta = requestMetaFromHeaders(req.headers);
    try {
      const secret = presentedApiKey(req.headers);
      if (!secret) {
        throw new AppError("UNAUTHORIZED", "apiKey.missing");
      }
      const address = meta.ip ?? "unknown";
      const open = failureLimiter.check(address);
      if (!open.ok) {
        throw new RetryLaterError(
          "TOO_MANY_REQUESTS",
          "apiKey.tooManyFailures",
          open.retryAfterSeconds,
          { seconds: open.retryAfterSeconds },
        );
      }
      const principal = await authenticateApiKey(secret);
      if (!principal) {
        failureLimiter.take(address);
        throw new AppError("UNAUTHORIZED", "apiKey.invalid");
      }
      if (!principal.scopes.includes(scope)) {
        throw new AppError("FORBIDDEN", "apiKey.scopeMissing", { params: { scope } });
      }
      const verdict = apiKeyLimiter.take(principal.apiKeyId);
      if (!verdict.ok) {
        throw new RetryLaterError(
          "TOO_MANY_REQUESTS",
          "apiKey.rateLimited",
          verdict.retryAfterSeconds,
          {
            perMinute: API_KEY_RATE_LIMIT.refillPerSecond * 60,
            seconds: verdict.retryAfterSeconds,
          },
        );
      }
      const workspaceId = principal.workspaceId;
      const res = await handler(req, {
        workspace: { id: workspaceId, defaultCountry: principal.defaultCountry },
        apiKeyId: principal.apiKeyId,
        keyPrefix: principal.prefix,
        meta,
        params: ((await route?.params) ?? {}) as P,
        tenant: (fn) => withTenant({ workspaceId }, fn),
      });
      return finish(res, meta.requestId);
    } catch (err) {
      return finish(errorResponse(err, meta.requestId), meta.requestId);
    }
  };
}
