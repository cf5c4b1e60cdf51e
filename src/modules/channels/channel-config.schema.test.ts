import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { channelSchemas, parseChannelSettings } from "./channel-config.schema";

const SECRET = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;

/** Field → error codes (keys) of the AppError `fn` throws. */
function fieldErrors(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      const entries = Object.entries(error.fieldErrors ?? {});
      return Object.fromEntries(entries.map(([f, refs]) => [f, refs.map((r) => r.key)]));
    }
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("channel settings", () => {
  it("fills the sandbox defaults", () => {
    expect(parseChannelSettings("sandbox", { config: {}, credentials: undefined })).toEqual({
      config: { latencyMs: 0, failureRate: 0, deliveredAfterMs: 2000, readAfterMs: 5000 },
      credentials: {},
    });
  });

  it("bounds the sandbox's latency, failure rate and receipts", () => {
    const errors = fieldErrors(() =>
      parseChannelSettings("sandbox", {
        config: { latencyMs: 60_001, failureRate: 1.5, deliveredAfterMs: -1 },
        credentials: {},
      }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      "config.deliveredAfterMs",
      "config.failureRate",
      "config.latencyMs",
    ]);
    expect(
      fieldErrors(() =>
        parseChannelSettings("sandbox", {
          config: { deliveredAfterMs: 5000, readAfterMs: 1000 },
          credentials: {},
        }),
      ),
    ).toHaveProperty("config.readAfterMs");
    expect(
      fieldErrors(() =>
        parseChannelSettings("sandbox", {
          config: { deliveredAfterMs: null, readAfterMs: 1000 },
          credentials: {},
        }),
      ),
    ).toHaveProperty("config.readAfterMs");
  });

  it("requires an http(s) url and a Standard Webhooks secret for webhooks; loopback is fine", () => {
    expect(
      parseChannelSettings("webhook", {
        config: { url: "http://127.0.0.1:5678/webhook/abc/" },
        credentials: { signingSecret: SECRET },
      }),
    ).toEqual({
      config: { url: "http://127.0.0.1:5678/webhook/abc" },
      credentials: { signingSecret: SECRET },
    });
    const errors = fieldErrors(() =>
      parseChannelSettings("webhook", {
        config: { url: "ftp://example.com/x" },
        credentials: { signingSecret: "plain-secret" },
      }),
    );
    expect(errors["config.url"]).toEqual(["bot.urlScheme"]);
    expect(errors["credentials.signingSecret"]?.[0]).toBe("bot.signingSecretFormat");
    expect(
      fieldErrors(() =>
        parseChannelSettings("webhook", {
          config: { url: "https://x.example" },
          credentials: { signingSecret: `whsec_${Buffer.alloc(8).toString("base64")}` },
        }),
      )["credentials.signingSecret"],
    ).toEqual(["bot.signingSecretLength"]);
  });

  it("requires the phone number id and access token for WhatsApp Cloud", () => {
    const errors = fieldErrors(() =>
      parseChannelSettings("whatsapp_cloud", { config: { apiVersion: "21" }, credentials: {} }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      "config.apiVersion",
      "config.phoneNumberId",
      "credentials.accessToken",
    ]);
    expect(
      parseChannelSettings("whatsapp_cloud", {
        config: { phoneNumberId: "106540352242922", apiVersion: "v21.0" },
        credentials: { accessToken: "EAAG" },
      }).config,
    ).toEqual({ phoneNumberId: "106540352242922", apiVersion: "v21.0" });
  });

  it("requires base URL, sender and API key for Infobip, accepting the portal's scheme-less URL", () => {
    expect(
      parseChannelSettings("infobip", {
        config: { baseUrl: "abc123.api.infobip.com", sender: "+441134960000" },
        credentials: { apiKey: "key" },
      }),
    ).toEqual({
      config: { baseUrl: "https://abc123.api.infobip.com", sender: "441134960000" },
      credentials: { apiKey: "key" },
    });
    expect(
      Object.keys(
        fieldErrors(() => parseChannelSettings("infobip", { config: {}, credentials: {} })),
      ).sort(),
    ).toEqual(["config.baseUrl", "config.sender", "credentials.apiKey"]);
  });

  it("has a schema pair for every kind, agents included", () => {
    expect(Object.keys(channelSchemas).sort()).toEqual([
      "agent",
      "infobip",
      "sandbox",
      "webhook",
      "whatsapp_cloud",
    ]);
    expect(parseChannelSettings("agent", { config: undefined, credentials: undefined })).toEqual({
      config: {},
      credentials: {},
    });
  });
});
