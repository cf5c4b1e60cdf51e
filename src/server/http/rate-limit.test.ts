import { describe, expect, it } from "vitest";
import { TokenBucketLimiter } from "./rate-limit";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("TokenBucketLimiter", () => {
  it("allows a burst of `capacity`, then refuses with the wait until the next token", () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 3, refillPerSecond: 0.5, now: c.now });
    expect([1, 2, 3].map(() => limiter.take("a").ok)).toEqual([true, true, true]);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 2 });
    c.advance(1000);
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
    c.advance(1000);
    expect(limiter.take("a").ok).toBe(true);
    expect(limiter.take("a").ok).toBe(false);
  });

  it("keeps clients apart and never refills past capacity", () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 2, refillPerSecond: 10, now: c.now });
    limiter.take("a");
    limiter.take("a");
    expect(limiter.take("a").ok).toBe(false);
    expect(limiter.take("b").ok).toBe(true);
    c.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take("a").ok)).toEqual([true, true, false]);
  });

  it("holds at most maxClients buckets, evicting the least recently seen", () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({
      capacity: 1,
      refillPerSecond: 0.001,
      maxClients: 2,
      now: c.now,
    });
    limiter.take("a");
    limiter.take("b");
    expect(limiter.take("a").ok).toBe(false); // a is now the most recent
    limiter.take("c"); // evicts b
    expect(limiter.size).toBe(2);
    expect(limiter.take("a").ok).toBe(false);
    expect(limiter.take("b").ok).toBe(true); // forgotten: a fresh bucket
  });

  it("charges a cost of several tokens at once, and checks without charging", () => {
    const c = clock();
    const limiter = new TokenBucketLimiter({ capacity: 10, refillPerSecond: 1, now: c.now });
    expect(limiter.take("a", 8).ok).toBe(true);
    expect(limiter.check("a", 2).ok).toBe(true);
    expect(limiter.check("a", 2).ok).toBe(true);
    expect(limiter.take("a", 3)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("a", 2).ok).toBe(true);
    expect(limiter.check("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});
