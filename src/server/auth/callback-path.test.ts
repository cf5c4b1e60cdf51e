import { describe, expect, it } from "vitest";
import { callbackPath } from "./callback-path";

describe("callbackPath", () => {
  it("keeps a path of this site, with its query and fragment", () => {
    expect(callbackPath("/invitations/abc?x=1#y")).toBe("/invitations/abc?x=1#y");
    expect(callbackPath("/contacts")).toBe("/contacts");
  });

  it.each([
    undefined,
    "",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/login",
    "/\n/evil.example",
    "/ /evil.example",
    "javascript:alert(1)",
  ])("sends %j to the dashboard", (value) => {
    expect(callbackPath(value)).toBe("/dashboard");
  });
});
