import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage, SendContext } from "@/modules/channels/channel.types";
import {
  classifyGraphError,
  createWhatsappCloudAdapter,
  whatsappCloudAdapter,
} from "@/modules/channels/whatsapp-cloud.adapter";
import { startWhatsappCloudFake, type WhatsappCloudFake } from "../helpers/fake-providers";

const PHONE_NUMBER_ID = "106540352242922";
const TOKEN = "EAAGtest";
let meta: WhatsappCloudFake;

function ctx(overrides: Partial<SendContext> = {}): SendContext {
  return {
    botId: "bot_wa",
    config: { baseUrl: meta.url, phoneNumberId: PHONE_NUMBER_ID },
    credentials: { accessToken: TOKEN },
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
  meta = await startWhatsappCloudFake({ accessToken: TOKEN, phoneNumberId: PHONE_NUMBER_ID });
});
afterAll(() => meta.close());
beforeEach(() => meta.reset());

describe("WhatsApp Cloud adapter", () => {
  it("sends a text message to /v21.0/{phone-number-id}/messages and records the wamid", async () => {
    const result = await whatsappCloudAdapter.send(text, ctx());
    expect(result).toEqual({
      outcome: "sent",
      providerMessageId: expect.stringMatching(/^wamid\./),
    });

    const [request] = meta.received;
    expect(request!.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "595981123456",
      type: "text",
      text: { preview_url: false, body: "Hola Ana" },
      biz_opaque_callback_data: "rcp_1",
    });
  });

  it("sends templates with the body parameters in order, on the configured API version", async () => {
    const result = await whatsappCloudAdapter.send(
      {
        ...text,
        text: undefined,
        template: { name: "promo_junio", language: "es_AR", params: ["Ana", "20%"] },
      },
      ctx({ config: { baseUrl: meta.url, phoneNumberId: PHONE_NUMBER_ID, apiVersion: "v22.0" } }),
    );
    expect(result.outcome).toBe("sent");
    expect(meta.received[0]!.path).toBe(`/v22.0/${PHONE_NUMBER_ID}/messages`);
    expect(meta.received[0]!.body).toMatchObject({
      type: "template",
      template: {
        name: "promo_junio",
        language: { code: "es_AR" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Ana" },
              { type: "text", text: "20%" },
            ],
          },
        ],
      },
    });
  });

  it("leaves components out of a template without variables", async () => {
    await whatsappCloudAdapter.send(
      {
        ...text,
        text: undefined,
        template: { name: "hello_world", language: "en_US", params: [] },
      },
      ctx(),
    );
    expect(meta.received[0]!.body).toMatchObject({
      template: { name: "hello_world", language: { code: "en_US" } },
    });
    expect((meta.received[0]!.body as { template: object }).template).not.toHaveProperty(
      "components",
    );
  });

  it("maps Graph error codes by meaning", async () => {
    const table: [number, string][] = [
      [130429, "retry"],
      [131056, "retry"],
      [131047, "failed"],
      [131026, "failed"],
      [131048, "pause_campaign"],
      [132001, "pause_campaign"],
      [368, "pause_bot"],
      [131031, "pause_bot"],
      [80007, "pause_bot"],
      [190, "pause_bot"],
      [131000, "retry"],
      [131009, "failed"],
      [100, "failed"],
    ];
    for (const [code, outcome] of table) {
      meta.failNext(1, code);
      expect(await whatsappCloudAdapter.send(text, ctx()), `code ${code}`).toEqual({
        outcome,
        code: `wa_${code}`,
      });
    }
    expect(meta.unique.size).toBe(0);
  });

  it("retries on 5xx and 429 without a Graph body, honouring Retry-After", async () => {
    meta.failNext(1, { status: 502, body: "<html>bad gateway</html>" });
    expect(await whatsappCloudAdapter.send(text, ctx())).toEqual({
      outcome: "retry",
      code: "http_502",
    });
    meta.failNext(1, { status: 429, headers: { "retry-after": "3" } });
    expect(await whatsappCloudAdapter.send(text, ctx())).toEqual({
      outcome: "retry",
      code: "http_429",
      retryAfterMs: 3000,
    });
    // An unknown code on a 5xx is still transient.
    meta.failNext(1, { status: 503, body: { error: { code: 999999, message: "?" } } });
    expect(await whatsappCloudAdapter.send(text, ctx())).toEqual({
      outcome: "retry",
      code: "wa_999999",
    });
  });

  it("pauses the bot on a bad token or a phone number id Meta does not know", async () => {
    expect(
      await whatsappCloudAdapter.send(text, ctx({ credentials: { accessToken: "expired" } })),
    ).toEqual({ outcome: "pause_bot", code: "wa_190" });
    expect(
      await whatsappCloudAdapter.send(
        text,
        ctx({ config: { baseUrl: meta.url, phoneNumberId: "999999999" } }),
      ),
    ).toEqual({ outcome: "pause_bot", code: "wa_100" });
  });

  it("fails only the person Meta refuses, per number", async () => {
    meta.failFor("+595981000002", 131026);
    const results = await Promise.all(
      ["+595981000001", "+595981000002", "+595981000003"].map((to, i) =>
        whatsappCloudAdapter.send({ ...text, recipientId: `r${i}`, to }, ctx()),
      ),
    );
    expect(results.map((r) => r.outcome)).toEqual(["sent", "failed", "sent"]);
    expect([...meta.unique.keys()].sort()).toEqual(["r0", "r2"]);
  });

  it("retries on network failures and timeouts, and fails a message with no content", async () => {
    expect(
      await whatsappCloudAdapter.send(
        text,
        ctx({ config: { baseUrl: "http://127.0.0.1:1", phoneNumberId: PHONE_NUMBER_ID } }),
      ),
    ).toEqual({ outcome: "retry", code: "network" });
    meta.setLatency(2000);
    expect(await createWhatsappCloudAdapter({ timeoutMs: 80 }).send(text, ctx())).toEqual({
      outcome: "retry",
      code: "timeout",
    });
    expect(await whatsappCloudAdapter.send({ ...text, text: undefined }, ctx())).toEqual({
      outcome: "failed",
      code: "empty_message",
    });
  });

  it("is not safe to resend: Meta does not dedupe", async () => {
    expect(whatsappCloudAdapter.resendIsSafe).toBe(false);
    await whatsappCloudAdapter.send(text, ctx());
    await whatsappCloudAdapter.send(text, ctx());
    expect(meta.count("rcp_1")).toBe(2);
  });
});

describe("classifyGraphError", () => {
  it("prefers the Graph code over the HTTP status", () => {
    expect(classifyGraphError(400, { error: { code: 130429 } })).toEqual({
      outcome: "retry",
      code: "wa_130429",
    });
    expect(classifyGraphError(500, { error: { code: 131047 } })).toEqual({
      outcome: "failed",
      code: "wa_131047",
    });
    expect(classifyGraphError(403, { error: { code: 200 } })).toEqual({
      outcome: "pause_bot",
      code: "wa_200",
    });
    expect(classifyGraphError(401, "unauthorized")).toEqual({
      outcome: "pause_bot",
      code: "http_401",
    });
    expect(classifyGraphError(404, undefined)).toEqual({ outcome: "failed", code: "http_404" });
  });
});
