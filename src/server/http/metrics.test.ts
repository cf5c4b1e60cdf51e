import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRouteLabeler, registerTrpcProcedures, routeLabel, UNMATCHED_ROUTE } from "./metrics";
import { scanAppRoutes } from "./route-templates";

const APP_DIR = path.resolve(__dirname, "../../app");

describe("route templates of the app", () => {
  const templates = scanAppRoutes(APP_DIR);

  it("come from the App Router folders: groups dropped, params as {name}, private folders out", () => {
    expect(templates).toEqual(
      expect.arrayContaining([
        "/",
        "/dashboard",
        "/signin",
        "/contacts/import/{importId}",
        "/api/v1/contacts/{id}",
        "/api/auth/{nextauth*}",
        "/api/trpc/{trpc}",
      ]),
    );
    expect(templates.some((t) => t.includes("(") || t.includes("_lib"))).toBe(false);
  });
});

describe("routeLabel", () => {
  it.each([
    ["/", "/"],
    ["/contacts", "/contacts"],
    ["/contacts/import/3f2b8c1e-9d4a-4b6f-8e2a-1c5d7f9a0b3c", "/contacts/import/{importId}"],
    ["/api/v1/contacts/anything-at-all", "/api/v1/contacts/{id}"],
    ["/api/v1/contacts/imports", "/api/v1/contacts/imports"],
    ["/api/auth/callback/keycloak", "/api/auth/{nextauth*}"],
    ["/_next/static/chunks/app-1a2b3c.js", "/_next/static/*"],
    ["/_next/image", "/_next/*"],
    ["/wp-login.php", UNMATCHED_ROUTE],
    ["/contacts/x/y/z", UNMATCHED_ROUTE],
    ["/%E0%A4%A", UNMATCHED_ROUTE],
  ])("%s → %s", (pathname, label) => {
    expect(routeLabel(pathname)).toBe(label);
  });

  it("prefers a static segment over a parameter, and a parameter over a catch-all", () => {
    const label = createRouteLabeler(["/a/{id}", "/a/new", "/a/{rest*}", "/b/{opt*}?"]);
    expect(label("/a/new")).toBe("/a/new");
    expect(label("/a/42")).toBe("/a/{id}");
    expect(label("/a/42/x")).toBe("/a/{rest*}");
    expect(label("/b")).toBe("/b/{opt*}");
    expect(label("/b/c/d")).toBe("/b/{opt*}");
  });

  it("labels tRPC calls by procedure only when the app router has it", () => {
    registerTrpcProcedures(["contacts.list", "contacts.get"]);
    expect(routeLabel("/api/trpc/contacts.list")).toBe("/api/trpc/contacts.list");
    expect(routeLabel("/api/trpc/contacts.list,contacts.list")).toBe("/api/trpc/contacts.list");
    expect(routeLabel("/api/trpc/contacts.list,contacts.get")).toBe("/api/trpc/(batch)");
    expect(routeLabel("/api/trpc/contacts.list,evil.x")).toBe("/api/trpc/(unknown)");
    expect(routeLabel("/api/trpc/made.up")).toBe("/api/trpc/(unknown)");
  });
});
