import { AMBIGUOUS_CODES, type SendResult } from "@/modules/channels/channel.types";
import type { Outcome } from "./send.queries";

/** Attempts per recipient before a transient error becomes a failure. */
export const MAX_ATTEMPTS = 5;
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential backoff with full jitter: 2 s, 4 s, 8 s… (±50%), capped at 5 minutes. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random()));
}

export type SideEffect = { kind: "pause_campaign" | "pause_bot" | "disable_bot"; code: string };

/**
 * What a provider's answer means for one recipient (and, sometimes, its campaign or bot). A
 * request cut or timed out in flight is retried only when a resend is safe (`resendIsSafe`);
 * otherwise the recipient becomes `unknown`, for the status webhooks to reconcile — never
 * sent blindly a second time.
 */
export function outcomeOf(
  id: string,
  attempts: number,
  result: SendResult,
  { now = Date.now(), resendIsSafe = true }: { now?: number; resendIsSafe?: boolean } = {},
): { outcome: Outcome; effect: SideEffect | null } {
  const base = { id, providerMessageId: null, nextAttemptAt: null };
  if (result.outcome === "retry" && !resendIsSafe && AMBIGUOUS_CODES.has(result.code))
    return {
      outcome: { ...base, status: "unknown", code: result.code, event: "unknown" },
      effect: null,
    };
  switch (result.outcome) {
    case "sent":
      return {
        outcome: {
          ...base,
          status: "sent",
          code: null,
          providerMessageId: result.providerMessageId,
          event: "sent",
        },
        effect: null,
      };
    case "failed":
      return {
        outcome: { ...base, status: "failed", code: result.code, event: "failed" },
        effect: null,
      };
    case "retry":
      if (attempts >= MAX_ATTEMPTS) {
        return {
          outcome: { ...base, status: "failed", code: result.code, event: "failed" },
          effect: null,
        };
      }
      return {
        outcome: {
          ...base,
          status: "queued",
          code: result.code,
          nextAttemptAt: new Date(now + Math.max(result.retryAfterMs ?? 0, retryDelayMs(attempts))),
          event: "retry",
        },
        effect: null,
      };
    default:
      // The campaign or the sender must stop; the recipient waits, untouched, for the resume.
      return {
        outcome: { ...base, status: "queued", code: result.code, event: "released" },
        effect: { kind: result.outcome, code: result.code },
      };
  }
}
