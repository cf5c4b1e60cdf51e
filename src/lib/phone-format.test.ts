import { describe, expect, it } from "vitest";
import { formatPhone } from "./phone-format";

describe("formatPhone", () => {
  it("groups digits the way the country writes them", () => {
    expect(formatPhone("+595981123456")).toBe("+595 981 123456");
    expect(formatPhone("+5491123456789")).toBe("+54 9 11 2345 6789");
  });

  it("leaves what it cannot parse as it is", () => {
    expect(formatPhone("not a phone")).toBe("not a phone");
  });
});
