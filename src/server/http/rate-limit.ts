/**
 * Per-client token buckets, in memory, per process: a bucket holds up to `capacity` requests
 * and refills at `refillPerSecond`. With N web processes a client gets up to N× the rate;
 * that is the point of keeping it local (no shared state on the hot path) — it guards each
 * process against one noisy client, it is not a quota.
 *
 * Memory is bounded: at most `maxClients` buckets (≈100 bytes each), least recently seen
 * evicted first. An evicted client simply starts again with a full bucket, so churn through
 * many addresses can only make the limiter more lenient, never lock anyone out.
 */
import type { ErrorKey, ErrorParams } from "@/lib/error-ref";
import { AppError } from "@/lib/errors";

export type BucketOptions = { capacity: number; refillPerSecond: number };
export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor({
    capacity,
    refillPerSecond,
    maxClients = 10_000,
    now = () => performance.now(),
  }: BucketOptions & { maxClients?: number; now?: () => number }) {
    if (capacity < 1 || refillPerSecond <= 0) throw new Error("a bucket needs capacity and refill");
    this.capacity = capacity;
    this.refillPerMs = refillPerSecond / 1000;
    this.maxClients = maxClients;
    this.now = now;
  }

  /** Takes `cost` tokens (a tRPC batch of n mutations costs n), or says how long to wait. */
  take(key: string, cost = 1): TakeResult {
    const now = this.now();
    const tokens = this.tokensAt(key, now);
    // Re-inserting moves the key to the end: Map order is then least recently seen first.
    this.buckets.delete(key);
    const ok = tokens >= cost;
    this.buckets.set(key, { tokens: ok ? tokens - cost : tokens, at: now });
    if (this.buckets.size > this.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    return ok ? { ok: true } : this.refusal(tokens, Math.min(cost, this.capacity));
  }

  /** Whether `take` would succeed now, without taking (sign-in: only failures are charged). */
  check(key: string, cost = 1): TakeResult {
    const tokens = this.tokensAt(key, this.now());
    return tokens >= cost ? { ok: true } : this.refusal(tokens, Math.min(cost, this.capacity));
  }

  private tokensAt(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.capacity;
    return Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.refillPerMs);
  }

  private refusal(tokens: number, needed: number): TakeResult {
    const waitMs = (needed - tokens) / this.refillPerMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}

/**
 * A refusal that tells the client when to come back: route-errors.ts turns it into the JSON
 * error with a `Retry-After` header (429, or 503 when the whole process is saturated).
 */
export class RetryLaterError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(
    code: "TOO_MANY_REQUESTS" | "SERVICE_UNAVAILABLE",
    key: ErrorKey,
    retryAfterSeconds: number,
    params?: ErrorParams,
  ) {
    super(code, key, { params });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
