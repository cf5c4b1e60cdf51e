import { describe, expect, it } from "vitest";
import { splitGroups } from "./split-groups";

describe("splitGroups", () => {
  it("splits on `|` whatever the file delimiter", () => {
    expect(splitGroups("vip|norte", ",")).toEqual(["vip", "norte"]);
    expect(splitGroups("vip|norte", ";")).toEqual(["vip", "norte"]);
  });

  it("splits on `;` only when it is not the file delimiter", () => {
    expect(splitGroups("vip;norte", ",")).toEqual(["vip", "norte"]);
    expect(splitGroups("vip;norte", "\t")).toEqual(["vip", "norte"]);
    expect(splitGroups("vip;norte", ";")).toEqual(["vip;norte"]);
  });

  it("trims names and drops empty ones", () => {
    expect(splitGroups("  vip | | norte ;; ", ",")).toEqual(["vip", "norte"]);
    expect(splitGroups("", ",")).toEqual([]);
    expect(splitGroups("   ", ",")).toEqual([]);
    expect(splitGroups(" | ; ", ",")).toEqual([]);
  });

  it("dedupes case-insensitively, keeping the first spelling", () => {
    expect(splitGroups("VIP|vip|Norte|NORTE|vip", ",")).toEqual(["VIP", "Norte"]);
  });

  it("keeps long names whole (the row is rejected by applyMapping, never cut)", () => {
    expect(splitGroups(`${"g".repeat(120)}|b`, ",")[0]).toHaveLength(120);
  });

  it("NFKC-normalises names, so look-alikes are the same group", () => {
    expect(splitGroups("ＶＩＰ|vip|Jose\u0301|José", ",")).toEqual(["VIP", "José"]);
    // A full-width separator separates like the ASCII one.
    expect(splitGroups("a｜b", ",")).toEqual(["a", "b"]);
  });
});
