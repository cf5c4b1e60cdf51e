import { setTimeout as sleep } from "node:timers/promises";
import type { ChannelAdapter, SendResult, SimulatedReceipt } from "./channel.types";
import { sandboxConfigSchema } from "./channel-config.schema";
import { cachedParser } from "./parse-settings";

/**
 * A provider simulated inside the app, so a campaign runs end to end on a fresh machine:
 * optional latency, a failure rate, and delivery/read receipts the pipeline reports later.
 * It is on the hot path of load tests (thousands of sends a second), so a send without
 * latency allocates little and never touches a timer.
 */

const parseConfig = cachedParser(sandboxConfigSchema);

export type SandboxOptions = {
  /** Uniform [0, 1); tests pin it to make failures deterministic. */
  random?: () => number;
};

export function createSandboxAdapter({
  random = Math.random,
}: SandboxOptions = {}): ChannelAdapter {
  return {
    kind: "sandbox",
    resendIsSafe: true,
    async send(message, ctx): Promise<SendResult> {
      const config = parseConfig(ctx.config);
      if (!config) return { outcome: "pause_bot", code: "config_invalid" };
      if (ctx.signal?.aborted) return { outcome: "retry", code: "aborted" };
      if (config.latencyMs > 0) {
        try {
          await sleep(config.latencyMs, undefined, { signal: ctx.signal });
        } catch {
          return { outcome: "retry", code: "aborted" };
        }
      }
      if (config.failureRate > 0 && random() < config.failureRate) {
        return { outcome: "failed", code: "sandbox_failed" };
      }
      return {
        outcome: "sent",
        providerMessageId: `sbx_${message.recipientId}`,
        receipts: receiptsFor(config.deliveredAfterMs, config.readAfterMs),
      };
    },
  };
}

function receiptsFor(
  deliveredAfterMs: number | null,
  readAfterMs: number | null,
): SimulatedReceipt[] {
  const receipts: SimulatedReceipt[] = [];
  if (deliveredAfterMs !== null) receipts.push({ status: "delivered", afterMs: deliveredAfterMs });
  if (readAfterMs !== null) receipts.push({ status: "read", afterMs: readAfterMs });
  return receipts;
}

export const sandboxAdapter = createSandboxAdapter();
