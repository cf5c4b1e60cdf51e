import { describe, expect, it } from "vitest";
import { createRouteTable, type Route } from "./router";

const noop = async () => undefined;
const table = createRouteTable([
  { method: "GET", path: "/api/health", handler: noop },
  { method: "GET", path: "/api/webhooks/whatsapp", handler: noop },
  { method: "POST", path: "/api/webhooks/whatsapp", handler: noop },
  { method: "POST", path: "/api/webhooks/infobip/:botId", handler: noop },
] satisfies Route[]);

describe("fast-lane route table", () => {
  it("matches method and path, with parameters decoded", () => {
    const hit = table.match("POST", "/api/webhooks/infobip/abc%2Dd");
    expect(hit).toMatchObject({
      kind: "route",
      route: { path: "/api/webhooks/infobip/:botId" },
      params: { botId: "abc-d" },
    });
    expect(table.match("GET", "/api/webhooks/whatsapp")).toMatchObject({
      kind: "route",
      route: { method: "GET" },
    });
    expect(table.match("POST", "/api/webhooks/whatsapp")).toMatchObject({
      route: { method: "POST" },
    });
  });

  it("answers HEAD with the GET route", () => {
    expect(table.match("HEAD", "/api/health")).toMatchObject({ kind: "route" });
  });

  it("reports a known path with the wrong method as 405 with what is allowed", () => {
    expect(table.match("PUT", "/api/webhooks/whatsapp")).toEqual({
      kind: "method_not_allowed",
      pattern: "/api/webhooks/whatsapp",
      allow: ["GET", "HEAD", "POST"],
    });
    expect(table.match("POST", "/api/health")).toMatchObject({ kind: "method_not_allowed" });
  });

  it("leaves everything else to Next", () => {
    for (const path of [
      "/",
      "/api/healthz",
      "/api/health/",
      "/api/webhooks/infobip",
      "/api/webhooks/infobip/",
      "/api/webhooks/infobip/a/b",
      "/api/webhooks/infobip/%E0%A4%A",
    ]) {
      expect(table.match("POST", path), path).toBeNull();
    }
  });
});
