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

  take(key: string): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(key);
    let tokens = this.capacity;
    if (bucket) {
      tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.refillPerMs);
      // Re-inserting moves the key to the end: Map order is then least recently seen first.
      this.buckets.delete(key);
    }
    const ok = tokens >= 1;
    this.buckets.set(key, { tokens: ok ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > this.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    if (ok) return { ok: true };
    const waitMs = (1 - tokens) / this.refillPerMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}
