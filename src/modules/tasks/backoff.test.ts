import { describe, expect, it } from "vitest";
import { RETRY_MAX_MS, retryDelayMs } from "./backoff";

describe("retryDelayMs", () => {
  it("doubles the bound per attempt, jittered within its upper half", () => {
    expect(retryDelayMs(1, { random: () => 0 })).toBe(2_500);
    expect(retryDelayMs(1, { random: () => 1 })).toBe(5_000);
    expect(retryDelayMs(3, { random: () => 0 })).toBe(10_000);
    expect(retryDelayMs(3, { random: () => 1 })).toBe(20_000);
  });

  it("never exceeds the cap however many attempts", () => {
    expect(retryDelayMs(40, { random: () => 1 })).toBe(RETRY_MAX_MS);
  });

  it("spreads retries of the same attempt", () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(2)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(5_000);
  });
});
