import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hubSignatureMatches, parseBasicAuth, parseHubSignature, safeEqual } from "./signatures";

describe("inbound signatures", () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  const hex = createHmac("sha256", "app-secret-1234567890").update(body).digest("hex");

  it("accepts the HMAC-SHA256 of the exact raw bytes, in either hex case", () => {
    expect(
      hubSignatureMatches(body, parseHubSignature(`sha256=${hex}`)!, "app-secret-1234567890"),
    ).toBe(true);
    expect(
      hubSignatureMatches(
        body,
        parseHubSignature(`sha256=${hex.toUpperCase()}`)!,
        "app-secret-1234567890",
      ),
    ).toBe(true);
  });

  it("refuses another secret, another body, and malformed headers", () => {
    const digest = parseHubSignature(`sha256=${hex}`)!;
    expect(hubSignatureMatches(body, digest, "other-secret-1234567")).toBe(false);
    expect(hubSignatureMatches(Buffer.from(`${body} `), digest, "app-secret-1234567890")).toBe(
      false,
    );
    for (const header of [
      undefined,
      "",
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(2)}`,
      `sha256=${hex}zz`,
    ]) {
      expect(parseHubSignature(header), String(header)).toBeNull();
    }
  });

  it("compares strings in constant time, whatever their lengths", () => {
    expect(safeEqual("token", "token")).toBe(true);
    expect(safeEqual("token", "token2")).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
  });

  it("parses Basic credentials, keeping colons in the password", () => {
    const header = `Basic ${Buffer.from("infobip:pa:ss").toString("base64")}`;
    expect(parseBasicAuth(header)).toEqual({ username: "infobip", password: "pa:ss" });
    expect(parseBasicAuth(`Bearer abc`)).toBeNull();
    expect(parseBasicAuth(`Basic ${Buffer.from("nocolon").toString("base64")}`)).toBeNull();
    expect(parseBasicAuth(undefined)).toBeNull();
  });
});
