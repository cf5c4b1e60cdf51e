/**
 * Bounds of the tRPC endpoint (docs/security.md, "Surface"): what one request may carry and
 * how fast one user may change things. Reads are not rate limited here — they are cheap and
 * the pages poll; mutations write, audit and enqueue.
 */
import { AppError } from "@/lib/errors";
import { TokenBucketLimiter, type BucketOptions, type TakeResult } from "./rate-limit";

/** The largest input a form sends is a campaign with its templates: far below 1 MB. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;
/** The client's batch link sends at most this many calls per request (lib/trpc/client.tsx). */
export const TRPC_MAX_BATCH = 50;
/** Per user and process: 120 mutations a minute, in bursts of up to 120 (bulk actions). */
export const TRPC_MUTATIONS: BucketOptions = { capacity: 120, refillPerSecond: 2 };

const holder = globalThis as { __salestrackTrpcMutations?: TokenBucketLimiter };

/** Charges `count` mutations to the caller (a batch of n costs n). */
export function chargeMutations(callerKey: string, count: number): TakeResult {
  holder.__salestrackTrpcMutations ??= new TokenBucketLimiter({
    ...TRPC_MUTATIONS,
    maxClients: 10_000,
  });
  return holder.__salestrackTrpcMutations.take(callerKey, count);
}

export function mutationLimitError(retryAfterSeconds: number): AppError {
  return new AppError("TOO_MANY_REQUESTS", "request.tooManyChanges", {
    params: { perMinute: TRPC_MUTATIONS.refillPerSecond * 60, seconds: retryAfterSeconds },
  });
}

/**
 * The request with its body read into memory up to `maxBytes` — a declared length over it is
 * refused unread, a streamed one as soon as it crosses. `tooLarge` leaves the body out.
 */
export async function bufferWithinLimit(
  req: Request,
  maxBytes = TRPC_MAX_BODY_BYTES,
): Promise<{ req: Request; tooLarge: boolean }> {
  if (!req.body) return { req, tooLarge: false };
  const bodiless = () => new Request(req.url, { method: req.method, headers: req.headers });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await req.body.cancel().catch(() => undefined);
    return { req: bodiless(), tooLarge: true };
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { req: bodiless(), tooLarge: true };
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks, size);
  return {
    req: new Request(req.url, {
      method: req.method,
      headers: req.headers,
      body,
      signal: req.signal,
    }),
    tooLarge: false,
  };
}
