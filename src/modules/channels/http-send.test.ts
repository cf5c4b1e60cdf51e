import { describe, expect, it } from "vitest";
import { internationalDigits, parseRetryAfter, postJson } from "./http-send";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
  });

  it("clamps past dates to 0 and absurd waits to a day; ignores garbage", () => {
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("999999999", now)).toBe(86_400_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("postJson", () => {
  it("turns transport failures into retries named by cause", async () => {
    const refused = await postJson("http://127.0.0.1:1/x", "{}", {}, undefined);
    expect(refused).toEqual({ result: { outcome: "retry", code: "network" } });
    const aborted = await postJson("http://127.0.0.1:1/x", "{}", {}, AbortSignal.abort());
    expect(aborted).toEqual({ result: { outcome: "retry", code: "aborted" } });
  });
});

describe("internationalDigits", () => {
  it("drops the plus and any formatting", () => {
    expect(internationalDigits("+595 981-123 456")).toBe("595981123456");
  });
});
