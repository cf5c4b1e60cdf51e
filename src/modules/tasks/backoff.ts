/**
 * When a failed or lost attempt may run again: exponential from `baseMs` (×2 per attempt, capped
 * at `maxMs`) with "equal jitter" — half the bound plus a random share of the other half, so a
 * fleet of agents that failed together does not retry together, yet every retry still waits.
 * The lease sweep computes the same in SQL (lease.queries.ts).
 */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 15 * 60_000;

export function retryDelayMs(
  attempt: number,
  { baseMs = RETRY_BASE_MS, maxMs = RETRY_MAX_MS, random = Math.random } = {},
): number {
  const bound = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(bound / 2 + random() * (bound / 2));
}
