import { describe, expect, it } from "vitest";
import { encodeErrorRef } from "@/lib/error-ref";
import { normalisePhone } from "./phone";

describe("normalisePhone", () => {
  describe("Paraguay workspace", () => {
    it.each([
      "+595 981 123456",
      "595981123456",
      "0981 123 456",
      "(0981) 123-456",
      "0981123456",
      "981123456",
      "  0981-123-456  ",
      "00595981123456",
    ])("normalises %j to +595981123456", (raw) => {
      expect(normalisePhone(raw, "PY")).toEqual({ ok: true, e164: "+595981123456" });
    });

    it("drops the `.0` a spreadsheet adds to a number column", () => {
      expect(normalisePhone("595981123456.0", "PY")).toEqual({ ok: true, e164: "+595981123456" });
      expect(normalisePhone("2025550123.0", "US")).toEqual({ ok: true, e164: "+12025550123" });
      expect(normalisePhone("0981123456.00", "PY")).toEqual({ ok: true, e164: "+595981123456" });
    });

    it("accepts the default country in lowercase", () => {
      expect(normalisePhone("0981123456", "py")).toEqual({ ok: true, e164: "+595981123456" });
    });

    it("keeps an international number as it is", () => {
      expect(normalisePhone("+34 612 345 678", "PY")).toEqual({ ok: true, e164: "+34612345678" });
      expect(normalisePhone("+54 9 11 2345-6789", "PY")).toEqual({
        ok: true,
        e164: "+5491123456789",
      });
      expect(normalisePhone("+1 202 555 0123", "PY")).toEqual({ ok: true, e164: "+12025550123" });
    });

    it.each([
      ["", "phone.empty"],
      ["   ", "phone.empty"],
      ["98112", "phone.tooShort"],
      ["0981 12", /^phone\.invalidForCountry /],
      ["0981abc456", "phone.letters"],
      ["llamar luego", "phone.letters"],
      ["0181 123 456", 'phone.invalidForCountry {"country":"PY"}'],
      ["1".repeat(41), "phone.tooLong"],
    ])("rejects %j with its reason as an error code", (raw, reason) => {
      const result = normalisePhone(raw, "PY");
      expect(result.ok).toBe(false);
      if (!result.ok) expect(encodeErrorRef(result.reason)).toMatch(reason);
    });
  });

  describe("other default countries", () => {
    it.each([
      ["AR", "11 2345-6789", "+541123456789"],
      ["AR", "011 15 2345-6789", "+5491123456789"],
      ["AR", "+54 9 11 2345 6789", "+5491123456789"],
      ["ES", "612 345 678", "+34612345678"],
      ["ES", "0034 612 345 678", "+34612345678"],
      ["ES", "34612345678", "+34612345678"],
      ["US", "(202) 555-0123", "+12025550123"],
      ["US", "1 202 555 0123", "+12025550123"],
      ["US", "+1 202-555-0123", "+12025550123"],
      ["MX", "55 1234 5678", "+525512345678"],
      ["MX", "+52 55 1234 5678", "+525512345678"],
      ["MX", "+52 1 55 1234 5678", "+525512345678"],
      ["PY", "5215512345678", "+525512345678"],
    ])("%s: normalises %j to %s", (country, raw, e164) => {
      expect(normalisePhone(raw, country)).toEqual({ ok: true, e164 });
    });

    it.each([
      ["AR", "1234"],
      ["ES", "512 345 67"],
      ["US", "(202) 555-01"],
      ["MX", "15 1234 567"],
    ])("%s: rejects %j", (country, raw) => {
      expect(normalisePhone(raw, country).ok).toBe(false);
    });
  });
});
