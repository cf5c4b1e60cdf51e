import { describe, expect, it } from "vitest";
import { botFormSchema, formFieldOf, toBotInput, toFormValues } from "./bot-form-values";

const issuesOf = (values: ReturnType<typeof toFormValues>, stored: string[] = []) => {
  const parsed = botFormSchema(true, stored).safeParse(values);
  return parsed.success
    ? {}
    : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

function whatsapp() {
  const v = toFormValues(null);
  v.name = "WhatsApp";
  v.kind = "whatsapp_cloud";
  v.whatsapp_cloud.phoneNumberId = "106540352242922";
  return v;
}

function infobip() {
  const v = toFormValues(null);
  v.name = "Infobip";
  v.kind = "infobip";
  v.infobip.baseUrl = "xyz.api.infobip.com";
  v.infobip.sender = "595981000111";
  return v;
}

describe("inbound webhook secrets in the bot form", () => {
  it("sends only the secrets typed in, so blank ones keep what is stored", () => {
    const v = whatsapp();
    expect(toBotInput(v).credentials).toBeUndefined();
    v.whatsapp_cloud.appSecret = " 0123456789abcdef0123 ";
    expect(toBotInput(v).credentials).toEqual({ appSecret: "0123456789abcdef0123" });
    v.whatsapp_cloud.verifyToken = "verify-me-please";
    expect(toBotInput(v).credentials).toEqual({
      appSecret: "0123456789abcdef0123",
      verifyToken: "verify-me-please",
    });
  });

  it("checks the lengths the receivers' schema requires", () => {
    const v = whatsapp();
    v.whatsapp_cloud.appSecret = "short";
    v.whatsapp_cloud.verifyToken = "1234567";
    expect(issuesOf(v)).toMatchObject({
      "whatsapp_cloud.appSecret": "appSecretFormat",
      "whatsapp_cloud.verifyToken": "verifyTokenFormat",
    });
    v.whatsapp_cloud.appSecret = "a".repeat(16);
    v.whatsapp_cloud.verifyToken = "12345678";
    expect(issuesOf(v)).toEqual({});
  });

  it("wants Infobip's token, user and password together, counting the stored ones", () => {
    const v = infobip();
    v.infobip.webhookToken = "abcdefghijklmnopqrstuvwxyz012345";
    expect(issuesOf(v)).toEqual({
      "infobip.webhookUsername": "requiredForInbound",
      "infobip.webhookPassword": "requiredForInbound",
    });
    expect(issuesOf(v, ["apiKey", "webhookUsername", "webhookPassword"])).toEqual({});
    v.infobip.webhookToken = "has spaces in it, not url safe";
    expect(issuesOf(v, ["webhookUsername", "webhookPassword"])).toEqual({
      "infobip.webhookToken": "webhookTokenFormat",
    });
  });

  it("keeps a typed password as is and maps the server's codes beside the field", () => {
    const v = infobip();
    v.infobip.webhookPassword = " spaced pass ";
    expect(toBotInput(v).credentials).toEqual({ webhookPassword: " spaced pass " });
    expect(formFieldOf("infobip", "credentials.webhookUsername", "bot.requiredForInbound")).toEqual(
      { path: "infobip.webhookUsername", message: "requiredForInbound" },
    );
    expect(formFieldOf("whatsapp_cloud", "credentials.appSecret", "bot.appSecretFormat")).toEqual({
      path: "whatsapp_cloud.appSecret",
      message: "appSecretFormat",
    });
  });
});
