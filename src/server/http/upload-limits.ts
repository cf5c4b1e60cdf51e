/**
 * Fair sharing of uploads (docs/security.md, "Surface"). An upload holds a database connection
 * and an open transaction for as long as the client sends, so three things bound it, per
 * process:
 *
 * - slots: a few per workspace and a global cap (never more than half the app pool), so one
 *   tenant's slow uploads cannot take every slot from the others, nor the pool from requests;
 * - a rate: uploads started per workspace (token bucket), against scripted floods — checked
 *   by the HTTP entry points (`limitUploadStarts`), not by the service, which the CLI and
 *   jobs call too;
 * - a minimum transfer rate: a client sending less than `minBytesPerSecond` over a window is
 *   cut off (400) and its transaction rolled back — nothing is stored.
 */
import { AppError } from "@/lib/errors";
import { RetryLaterError, TokenBucketLimiter, type BucketOptions } from "./rate-limit";

export type UploadLimits = {
  perWorkspace: number;
  global: number;
  minBytesPerSecond: number;
  /** Each window must carry `minBytesPerSecond × window`; a slow start is judged after one. */
  windowMs: number;
};

export function defaultUploadLimits(poolMax: number): UploadLimits {
  return {
    perWorkspace: 2,
    global: Math.max(1, Math.min(8, Math.floor(poolMax / 2))),
    minBytesPerSecond: 16 * 1024,
    windowMs: 30_000,
  };
}

export type UploadGuard = {
  /** Takes a slot (or throws 429/503 with Retry-After); call the result to give it back. */
  admit(workspaceId: string): () => void;
  /** The body, cut off with a 400 when it arrives slower than the minimum rate. */
  paced(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  readonly inFlight: number;
};

export function createUploadGuard(limits: UploadLimits): UploadGuard {
  const perWorkspace = new Map<string, number>();
  let inFlight = 0;

  return {
    get inFlight() {
      return inFlight;
    },
    admit(workspaceId) {
      const mine = perWorkspace.get(workspaceId) ?? 0;
      if (mine >= limits.perWorkspace) {
        throw new RetryLaterError("TOO_MANY_REQUESTS", "upload.workspaceBusy", 10, { count: mine });
      }
      if (inFlight >= limits.global) {
        throw new RetryLaterError("SERVICE_UNAVAILABLE", "upload.serverBusy", 30);
      }
      perWorkspace.set(workspaceId, mine + 1);
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
        const left = (perWorkspace.get(workspaceId) ?? 1) - 1;
        if (left > 0) perWorkspace.set(workspaceId, left);
        else perWorkspace.delete(workspaceId);
      };
    },
    paced: (body) => withMinimumRate(body, limits),
  };
}

/** Uploads a workspace may start per process: a burst of 10, then one every 30 s. */
export const UPLOAD_STARTS: BucketOptions = { capacity: 10, refillPerSecond: 1 / 30 };

const holder = globalThis as { __salestrackUploadStarts?: TokenBucketLimiter };

/** Throws 429 with Retry-After when the workspace has started too many uploads lately. */
export function limitUploadStarts(workspaceId: string): void {
  holder.__salestrackUploadStarts ??= new TokenBucketLimiter({
    ...UPLOAD_STARTS,
    maxClients: 10_000,
  });
  const verdict = holder.__salestrackUploadStarts.take(workspaceId);
  if (!verdict.ok) {
    throw new RetryLaterError(
      "TOO_MANY_REQUESTS",
      "upload.tooManyStarts",
      verdict.retryAfterSeconds,
      { seconds: verdict.retryAfterSeconds },
    );
  }
}

/**
 * Passes the chunks through while timing the sender: each window must bring at least its
 * share of bytes, or the upload fails — including a sender that stops altogether (a timer,
 * not the next chunk, ends the window). Time the consumer spends with a chunk (writing it to
 * the database) is not charged to the sender.
 */
async function* withMinimumRate(
  body: AsyncIterable<Uint8Array>,
  { minBytesPerSecond, windowMs }: Pick<UploadLimits, "minBytesPerSecond" | "windowMs">,
): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  const minBytes = (minBytesPerSecond * windowMs) / 1000;
  const tooSlow = () =>
    new AppError("BAD_REQUEST", "upload.tooSlow", {
      params: {
        kbPerSecond: Math.round(minBytesPerSecond / 1024),
        seconds: Math.round(windowMs / 1000),
      },
    });
  let windowEnds = performance.now() + windowMs;
  let windowBytes = 0;
  let finished = false;
  try {
    for (;;) {
      const pending = iterator.next();
      let result: IteratorResult<Uint8Array> | undefined;
      while (!result) {
        let timer: NodeJS.Timeout | undefined;
        const elapsed = new Promise<"window">((resolve) => {
          timer = setTimeout(() => resolve("window"), Math.max(0, windowEnds - performance.now()));
        });
        const winner = await Promise.race([pending, elapsed]);
        clearTimeout(timer);
        if (winner === "window") {
          if (windowBytes < minBytes) throw tooSlow();
          windowEnds += windowMs;
          windowBytes = 0;
        } else {
          result = winner;
        }
      }
      if (result.done) {
        finished = true;
        return;
      }
      windowBytes += result.value.byteLength;
      const handedOver = performance.now();
      yield result.value;
      windowEnds += performance.now() - handedOver;
    }
  } finally {
    // Cut off (or abandoned by the consumer): stop reading the client's stream.
    if (!finished) void iterator.return?.()?.catch(() => undefined);
  }
}
