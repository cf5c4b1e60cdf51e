import { describe, expect, it } from "vitest";
import { routeLabel } from "./metrics";

describe("routeLabel", () => {
  it.each([
    ["/api/health", "/api/health"],
    ["/", "/"],
    ["/contacts/3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3c", "/contacts/:id"],
    ["/contacts/3F2B8C1E-9D4A-4B6F-8E2A-1C5D7F9A0B3C/edit", "/contacts/:id/edit"],
    ["/campaigns/12345", "/campaigns/:id"],
    ["/campaigns/42/runs/7", "/campaigns/:id/runs/:id"],
    ["/api/trpc/contacts.list", "/api/trpc/contacts.list"],
    ["/_next/static/chunks/app-1a2b3c.js", "/_next/*"],
    ["/_next/image", "/_next/*"],
  ])("%s → %s", (pathname, label) => {
    expect(routeLabel(pathname)).toBe(label);
  });

  it("keeps ordinary words and short hex-looking segments", () => {
    expect(routeLabel("/settings/members")).toBe("/settings/members");
    expect(routeLabel("/bots/cafe")).toBe("/bots/cafe");
    expect(routeLabel("/v2/items")).toBe("/v2/items");
  });

  it("bounds cardinality by truncating deep paths", () => {
    expect(routeLabel("/a/b/c/d/e/f/g")).toBe("/a/b/c/d");
  });

  it("gives every uuid of a route the same label", () => {
    const a = routeLabel("/api/v1/contacts/0b8f3a52-6a1f-4f7e-9c1b-5c2d3e4f5a6b");
    const b = routeLabel("/api/v1/contacts/d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6");
    expect(a).toBe(b);
    expect(a).toBe("/api/v1/contacts/:id");
  });
});
