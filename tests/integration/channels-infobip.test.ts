import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage, SendContext } from "@/modules/channels/channel.types";
import { createInfobipAdapter, infobipAdapter } from "@/modules/channels/infobip.adapter";
import { infobipError, startInfobipFake, type InfobipFake } from "../helpers/fake-providers";

const API_KEY = "ib-test-key";
const SENDER = "441134960000";
let infobip: InfobipFake;

function ctx(overrides: Partial<SendContext> = {}): SendContext {
  return {
    botId: "bot_ib",
    config: { baseUrl: infobip.url, sender: SENDER },
    credentials: { apiKey: API_KEY },
    ...overrides,
  };
}

const text: OutboundMessage = {
  recipientId: "rcp_1",
  campaignId: "cmp_1",
  to: "+595981123456",
  text: "Hola Ana",
};

beforeAll(async () => {
  infobip = await startInfobipFake({ apiKey: API_KEY, senders: [SENDER] });
});
afterAll(() => infobip.close());
beforeEach(() => infobip.reset());

describe("Infobip adapter", () => {
  it("sends text with our recipient id as Infobip's messageId", async () => {
    expect(await infobipAdapter.send(text, ctx())).toEqual({
      outcome: "sent",
      providerMessageId: "rcp_1",
    });
    const [request] = infobip.received;
    expect(request!.path).toBe("/whatsapp/1/message/text");
    expect(request!.headers.authorization).toBe(`App ${API_KEY}`);
    expect(request!.body).toEqual({
      from: SENDER,
      to: "595981123456",
      messageId: "rcp_1",
      content: { text: "Hola Ana" },
    });
  });

  it("sends templates with placeholders and language", async () => {
    const result = await infobipAdapter.send(
      {
        ...text,
        text: undefined,
        template: { name: "promo_junio", language: "es", params: ["Ana"] },
      },
      ctx(),
    );
    expect(result).toEqual({ outcome: "sent", providerMessageId: "rcp_1" });
    expect(infobip.received[0]!.path).toBe("/whatsapp/1/message/template");
    expect(infobip.received[0]!.body).toEqual({
      messages: [
        {
          from: SENDER,
          to: "595981123456",
          messageId: "rcp_1",
          content: {
            templateName: "promo_junio",
            templateData: { body: { placeholders: ["Ana"] } },
            language: "es",
          },
        },
      ],
    });
  });

  it("fails a recipient Infobip rejects in a 200, but pauses the bot when credits run out", async () => {
    infobip.rejectFor("+595981000002");
    infobip.rejectFor("+595981000003", "REJECTED_NOT_ENOUGH_CREDITS");
    expect(await infobipAdapter.send({ ...text, to: "+595981000002" }, ctx())).toEqual({
      outcome: "failed",
      code: "ib_rejected_destination",
    });
    expect(
      await infobipAdapter.send(
        {
          ...text,
          to: "+595981000003",
          text: undefined,
          template: { name: "t", language: "es", params: [] },
        },
        ctx(),
      ),
    ).toEqual({ outcome: "pause_bot", code: "ib_rejected_not_enough_credits" });
    expect(infobip.unique.size).toBe(0);
  });

  it("maps HTTP answers by meaning", async () => {
    const cases = [
      [infobipError(429, "TOO_MANY_REQUESTS", "slow down"), { outcome: "retry", code: "http_429" }],
      [
        { ...infobipError(503, "SERVICE_UNAVAILABLE", "later"), headers: { "retry-after": "2" } },
        { outcome: "retry", code: "http_503", retryAfterMs: 2000 },
      ],
      [infobipError(500, "GENERAL_ERROR", "oops"), { outcome: "retry", code: "http_500" }],
      [infobipError(403, "FORBIDDEN", "no"), { outcome: "pause_bot", code: "http_403" }],
      [infobipError(400, "BAD_REQUEST", "bad"), { outcome: "failed", code: "http_400" }],
    ] as const;
    for (const [reply, expected] of cases) {
      infobip.failNext(1, reply);
      expect(await infobipAdapter.send(text, ctx()), JSON.stringify(reply)).toEqual(expected);
    }
    expect(await infobipAdapter.send(text, ctx({ credentials: { apiKey: "wrong" } }))).toEqual({
      outcome: "pause_bot",
      code: "http_401",
    });
  });

  it("retries on network failures and timeouts", async () => {
    expect(
      await infobipAdapter.send(
        text,
        ctx({ config: { baseUrl: "http://127.0.0.1:1", sender: SENDER } }),
      ),
    ).toEqual({ outcome: "retry", code: "network" });
    infobip.setLatency(2000);
    expect(await createInfobipAdapter({ timeoutMs: 80 }).send(text, ctx())).toEqual({
      outcome: "retry",
      code: "timeout",
    });
  });

  it("is safe to resend: the same messageId identifies the same message", async () => {
    expect(infobipAdapter.resendIsSafe).toBe(true);
    infobip.failNext(1, "drop");
    expect(await infobipAdapter.send(text, ctx())).toEqual({ outcome: "retry", code: "network" });
    expect(await infobipAdapter.send(text, ctx())).toMatchObject({ outcome: "sent" });
    expect(infobip.count("rcp_1")).toBe(2);
    expect(infobip.unique.size).toBe(1);
  });

  it("pauses the bot without a base URL: every Infobip account has its own", async () => {
    expect(await infobipAdapter.send(text, ctx({ config: { sender: SENDER } }))).toEqual({
      outcome: "pause_bot",
      code: "config_invalid",
    });
  });
});
