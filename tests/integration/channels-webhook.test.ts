import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSecret } from "@/lib/crypto";
import type { OutboundMessage, SendContext } from "@/modules/channels/channel.types";
import { createWebhookAdapter, webhookAdapter } from "@/modules/channels/webhook.adapter";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/fake-providers";

const secret = generateSecret("whsec_");
let receiver: WebhookReceiver;

function ctx(overrides: Partial<SendContext> = {}): SendContext {
  return {
    botId: "bot_1",
    config: { url: `${receiver.url}/hooks/salestrack` },
    credentials: { signingSecret: secret },
    ...overrides,
  };
}

function msg(n: number, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    recipientId: `rcp_${n}`,
    campaignId: "cmp_1",
    to: `+59598100${String(n).padStart(4, "0")}`,
    text: `Hola ${n}`,
    ...extra,
  };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secrets: [secret] });
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

describe("webhook adapter", () => {
  it("POSTs a signed message.send event the receiver verifies with standardwebhooks", async () => {
    const result = await webhookAdapter.send(msg(1), ctx());
    expect(result).toEqual({ outcome: "sent", providerMessageId: "rcv_rcp_1" });

    const [request] = receiver.received;
    expect(request).toMatchObject({ method: "POST", path: "/hooks/salestrack", status: 200 });
    expect(request!.headers["webhook-id"]).toBe("rcp_1");
    expect(Number(request!.headers["webhook-timestamp"])).toBeCloseTo(Date.now() / 1000, -1);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(receiver.payloads()).toEqual([
      {
        type: "message.send",
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        data: {
          recipientId: "rcp_1",
          campaignId: "cmp_1",
          to: "+595981000001",
          text: "Hola 1",
          template: null,
        },
      },
    ]);
  });

  it("carries a template as name, language and params", async () => {
    const template = { name: "promo_junio", language: "es", params: ["Ana", "20%"] };
    await webhookAdapter.send(msg(2, { text: undefined, template }), ctx());
    expect(receiver.payloads()[0]!.data).toMatchObject({ text: null, template });
  });

  it("falls back to wh_<recipientId> when the receiver answers without an id", async () => {
    const bare = await startWebhookReceiver({ secrets: [secret], omitId: true });
    try {
      const result = await webhookAdapter.send(msg(3), ctx({ config: { url: bare.url } }));
      expect(result).toEqual({ outcome: "sent", providerMessageId: "wh_rcp_3" });
    } finally {
      await bare.close();
    }
  });

  it("is refused by a receiver holding another secret, which pauses the bot", async () => {
    const result = await webhookAdapter.send(
      msg(4),
      ctx({ credentials: { signingSecret: generateSecret("whsec_") } }),
    );
    expect(result).toEqual({ outcome: "pause_bot", code: "http_401" });
    expect(receiver.received[0]).toMatchObject({ status: 401, accepted: false });
    expect(receiver.unique.size).toBe(0);
  });

  it("signs with both secrets during a rotation, so either side may hold either one", async () => {
    const next = generateSecret("whsec_");
    const result = await webhookAdapter.send(
      msg(5),
      ctx({ credentials: { signingSecret: next, previousSigningSecret: secret } }),
    );
    expect(result.outcome).toBe("sent");
    expect(String(receiver.received[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
  });

  it("maps answers by meaning", async () => {
    const cases = [
      [{ status: 410 }, { outcome: "disable_bot", code: "http_410" }],
      [
        { status: 429, headers: { "retry-after": "12" } },
        { outcome: "retry", code: "http_429", retryAfterMs: 12_000 },
      ],
      [{ status: 429 }, { outcome: "retry", code: "http_429" }],
      [{ status: 503 }, { outcome: "retry", code: "http_503" }],
      [
        { status: 500, body: { error: "boom" } },
        { outcome: "retry", code: "http_500" },
      ],
      [
        { status: 400, body: { error: "bad" } },
        { outcome: "failed", code: "http_400" },
      ],
      [{ status: 422 }, { outcome: "failed", code: "http_422" }],
      [{ status: 403 }, { outcome: "pause_bot", code: "http_403" }],
      [
        { status: 301, headers: { location: "/elsewhere" } },
        { outcome: "pause_bot", code: "http_301" },
      ],
    ] as const;
    for (const [reply, expected] of cases) {
      receiver.failNext(1, reply);
      expect(await webhookAdapter.send(msg(6), ctx()), JSON.stringify(reply)).toEqual(expected);
    }
    expect(receiver.count("rcp_6")).toBe(0);
  });

  it("retries on network errors and timeouts", async () => {
    const gone = await webhookAdapter.send(
      msg(7),
      ctx({ config: { url: "http://127.0.0.1:1/x" } }),
    );
    expect(gone).toEqual({ outcome: "retry", code: "network" });

    receiver.setLatency(2_000);
    const impatient = createWebhookAdapter({ timeoutMs: 100 });
    expect(await impatient.send(msg(8), ctx())).toEqual({ outcome: "retry", code: "timeout" });

    const controller = new AbortController();
    const pending = impatient.send(msg(9), ctx({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    // Cut in flight: the receiver may have the message (only resend-safe adapters retry it).
    expect(await pending).toEqual({ outcome: "retry", code: "interrupted" });
    // Aborted before the request: nothing left this process.
    expect(await impatient.send(msg(10), ctx({ signal: AbortSignal.abort() }))).toEqual({
      outcome: "retry",
      code: "aborted",
    });
  });

  it("counts a resend of the same recipient as a duplicate the receiver can drop", async () => {
    receiver.failFor("+595981000010", "drop");
    expect(await webhookAdapter.send(msg(10), ctx())).toEqual({
      outcome: "retry",
      code: "network",
    });
    receiver.reset();
    receiver.failNext(1, "drop");
    await webhookAdapter.send(msg(10), ctx());
    expect(await webhookAdapter.send(msg(10), ctx())).toEqual({
      outcome: "sent",
      providerMessageId: "rcv_rcp_10",
    });
    await webhookAdapter.send(msg(11), ctx());
    expect(receiver.count("rcp_10")).toBe(2);
    expect(receiver.count("rcp_11")).toBe(1);
    expect(receiver.duplicates()).toEqual(["rcp_10"]);
    expect([...receiver.unique.keys()].sort()).toEqual(["rcp_10", "rcp_11"]);
  });

  it("pauses the bot when its settings are unusable", async () => {
    expect(await webhookAdapter.send(msg(12), ctx({ config: {} }))).toEqual({
      outcome: "pause_bot",
      code: "config_invalid",
    });
  });
});
