import type { SendResult } from "./channel.types";

/**
 * The HTTP plumbing every provider adapter shares: one POST with a timeout tied to the
 * caller's signal, and transport failures turned into `retry` results so adapters only
 * classify real answers.
 */

export const SEND_TIMEOUT_MS = 10_000;

// Retry-After beyond a day is a provider bug or a misread date; the pipeline's own backoff
// is the better judge then.
const MAX_RETRY_AFTER_MS = 86_400_000;

export type HttpOptions = {
  /** Per-request timeout; tests shorten it. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type PostOutcome = { response: Response } | { result: SendResult };

let warmed: Promise<void> | null = null;

/**
 * Loads the HTTP client before the first real request: Node builds `fetch` on first use,
 * which made each worker's first paced send leave tens of milliseconds after its slot and
 * land on the heels of the next one. A `data:` URL exercises it without touching the network.
 */
export function warmHttpClient(): Promise<void> {
  warmed ??= fetch("data:,").then(
    () => undefined,
    () => undefined,
  );
  return warmed;
}

/**
 * POSTs JSON. Network failures and timeouts come back as `retry` (`network`, `timeout`); an
 * abort by the caller (pause, cancel, shutdown) as `retry` with `aborted` before the request
 * and `interrupted` once it was in flight, since the pipeline decides what happens to an
 * interrupted recipient.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  options: HttpOptions = {},
): Promise<PostOutcome> {
  if (signal?.aborted) return { result: { outcome: "retry", code: "aborted" } };
  const timeout = AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body,
      signal: combined,
      // A redirected POST becomes a GET in fetch; a provider that redirects is misconfigured.
      redirect: "manual",
    });
    return { response };
  } catch {
    // Cut while in flight: the provider may have taken the message (`AMBIGUOUS_CODES`).
    if (signal?.aborted) return { result: { outcome: "retry", code: "interrupted" } };
    if (timeout.aborted) return { result: { outcome: "retry", code: "timeout" } };
    return { result: { outcome: "retry", code: "network" } };
  }
}

/** The body as JSON, or undefined when it is empty, not JSON, or the connection drops. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Releases the connection without reading a body nobody needs. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The socket is gone already; nothing to release.
  }
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** "+595 981 123456" → "595981123456": providers want the international number without "+". */
export function internationalDigits(e164: string): string {
  return e164.replace(/\D/g, "");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
