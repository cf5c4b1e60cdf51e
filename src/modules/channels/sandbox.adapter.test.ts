import { describe, expect, it } from "vitest";
import type { OutboundMessage, SendContext } from "./channel.types";
import { createSandboxAdapter, sandboxAdapter } from "./sandbox.adapter";

const message: OutboundMessage = {
  recipientId: "rcp_1",
  campaignId: "cmp_1",
  to: "+595981123456",
  text: "Hola",
};

function ctx(config: SendContext["config"], signal?: AbortSignal): SendContext {
  return { botId: "bot_1", config, credentials: {}, signal };
}

describe("sandbox adapter", () => {
  it("sends with the recipient's id and the default receipts", async () => {
    expect(sandboxAdapter.resendIsSafe).toBe(true);
    expect(await sandboxAdapter.send(message, ctx({}))).toEqual({
      outcome: "sent",
      providerMessageId: "sbx_rcp_1",
      receipts: [
        { status: "delivered", afterMs: 2000 },
        { status: "read", afterMs: 5000 },
      ],
    });
  });

  it("reports only the receipts configured (null = none)", async () => {
    const noRead = await sandboxAdapter.send(
      message,
      ctx({ deliveredAfterMs: 10, readAfterMs: null }),
    );
    expect(noRead).toMatchObject({ receipts: [{ status: "delivered", afterMs: 10 }] });
    const none = await sandboxAdapter.send(
      message,
      ctx({ deliveredAfterMs: null, readAfterMs: null }),
    );
    expect(none).toMatchObject({ outcome: "sent", receipts: [] });
  });

  it("fails with the configured probability", async () => {
    const values = [0.1, 0.5, 0.29, 0.3];
    const adapter = createSandboxAdapter({ random: () => values.shift() ?? 0.999 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push((await adapter.send(message, ctx({ failureRate: 0.3 }))).outcome);
    }
    expect(outcomes).toEqual(["failed", "sent", "failed", "sent"]);
    expect(await adapter.send(message, ctx({ failureRate: 1 }))).toEqual({
      outcome: "failed",
      code: "sandbox_failed",
    });
  });

  it("never fails at rate 0 and always fails at rate 1 with the real random source", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        sandboxAdapter.send(
          { ...message, recipientId: `r${i}` },
          ctx({ failureRate: i < 100 ? 0 : 1 }),
        ),
      ),
    );
    expect(results.slice(0, 100).every((r) => r.outcome === "sent")).toBe(true);
    expect(results.slice(100).every((r) => r.outcome === "failed")).toBe(true);
  });

  it("waits latencyMs and stops waiting when the send is aborted", async () => {
    const started = Date.now();
    await sandboxAdapter.send(message, ctx({ latencyMs: 40 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);

    const controller = new AbortController();
    const pending = sandboxAdapter.send(message, ctx({ latencyMs: 60_000 }, controller.signal));
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toEqual({ outcome: "retry", code: "aborted" });
    expect(await sandboxAdapter.send(message, ctx({}, AbortSignal.abort()))).toEqual({
      outcome: "retry",
      code: "aborted",
    });
  });

  it("pauses the bot when its config is out of range", async () => {
    expect(await sandboxAdapter.send(message, ctx({ failureRate: 2 }))).toEqual({
      outcome: "pause_bot",
      code: "config_invalid",
    });
  });
});
