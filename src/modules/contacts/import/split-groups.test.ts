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

  it("caps each name at 80 characters", () => {
    const [name] = splitGroups(`${"g".repeat(120)}|b`, ",");
    expect(name).toHaveLength(80);
    expect(splitGroups("x".repeat(100), ",")[0]).toHaveLength(80);
  });
});
