/**
 * Security headers on every response of the web process, Next's and the fast lane's, and the
 * client address handed to Next (audit rows) — through the real listener on a loopback port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { parseTrustedProxies } from "@/server/http/trusted-proxies";
import { startHttp, type HttpServer } from "./http-helpers";

type Echo = { nonce: string | null; csp: string | null; ip: string | null };

let http: HttpServer;

beforeAll(async () => {
  http = await startHttp({ formActionOrigins: ["http://localhost:8080"] });
});

afterAll(async () => {
  await http?.close();
});

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

const BASE_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

describe("security headers", () => {
  it("pages get a nonce CSP whose nonce is the one handed to Next, fresh per response", async () => {
    const first = await fetch(`${http.url}/echo`);
    const echo = (await first.json()) as Echo;
    const csp = first.headers.get("content-security-policy")!;
    expect(echo.nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    // Next reads the nonce from the request's CSP header: the same policy as the response's.
    expect(echo.csp).toBe(csp);

    const d = directives(csp);
    expect(d.get("script-src")).toBe(`'self' 'nonce-${echo.nonce}' 'strict-dynamic'`);
    expect(d.get("script-src")).not.toContain("unsafe-inline");
    expect(d.get("script-src")).not.toContain("unsafe-eval");
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("object-src")).toBe("'none'");
    expect(d.get("default-src")).toBe("'self'");
    expect(d.get("form-action")).toBe("'self' http://localhost:8080");
    expect(d.has("upgrade-insecure-requests")).toBe(false);

    const second = (await (await fetch(`${http.url}/echo`)).json()) as Echo;
    expect(second.nonce).not.toBe(echo.nonce);
  });

  it("sets the other headers on Next's responses, redirects included", async () => {
    const res = await fetch(`${http.url}/contacts`, { redirect: "manual" });
    expect(res.status).toBe(307);
    for (const [name, value] of Object.entries(BASE_HEADERS)) {
      expect(res.headers.get(name), name).toBe(value);
    }
    expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\), microphone=\(\)/);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("keeps a handler's own CSP", async () => {
    const res = await fetch(`${http.url}/own-csp`);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("gives fast-lane responses the non-CSP headers, errors included", async () => {
    for (const [path, init, status] of [
      ["/api/health", {}, 200],
      ["/api/webhooks/whatsapp", { method: "PUT" }, 405],
    ] as const) {
      const res = await fetch(`${http.url}${path}`, init);
      expect(res.status).toBe(status);
      for (const [name, value] of Object.entries(BASE_HEADERS)) {
        expect(res.headers.get(name), `${path} ${name}`).toBe(value);
      }
      expect(res.headers.get("permissions-policy")).toBeTruthy();
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });

  it("allows eval in dev only", async () => {
    const dev = await startHttp({ dev: true });
    try {
      const csp = (await fetch(`${dev.url}/echo`)).headers.get("content-security-policy")!;
      expect(directives(csp).get("script-src")).toContain("'unsafe-eval'");
    } finally {
      await dev.close();
    }
  });

  it("sends HSTS when the app URL is https, or a trusted proxy says the client used https", async () => {
    const https = await startHttp({ appUrl: "https://app.example.com" });
    const untrusting = await startHttp({ trusted: parseTrustedProxies("none") });
    try {
      const direct = await fetch(`${https.url}/api/health`);
      expect(direct.headers.get("strict-transport-security")).toBe(
        "max-age=63072000; includeSubDomains",
      );
      const page = await fetch(`${https.url}/echo`);
      expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");

      // This test's client is on loopback, a trusted proxy by default.
      const proxied = await fetch(`${http.url}/echo`, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(proxied.headers.get("strict-transport-security")).toMatch(/^max-age=/);
      const forged = await fetch(`${untrusting.url}/echo`, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(forged.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await https.close();
      await untrusting.close();
    }
  });
});

describe("client address handed to Next", () => {
  it("comes from the socket and trusted proxies only; a client's own header is overwritten", async () => {
    const spoof = { "x-salestrack-client-ip": "6.6.6.6", "x-forwarded-for": "7.7.7.7" };
    const viaLoopbackProxy = (await (
      await fetch(`${http.url}/echo`, { headers: spoof })
    ).json()) as Echo;
    expect(viaLoopbackProxy.ip).toBe("7.7.7.7");

    const direct = await startHttp({ trusted: parseTrustedProxies("none") });
    try {
      const echo = (await (await fetch(`${direct.url}/echo`, { headers: spoof })).json()) as Echo;
      expect(echo.ip).toBe("127.0.0.1");
    } finally {
      await direct.close();
    }
  });

  it("audit metadata ignores X-Forwarded-For and X-Real-IP the server did not vouch for", () => {
    const meta = requestMetaFromHeaders(
      new Headers({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6" }),
    );
    expect(meta.ip).toBeNull();
    expect(
      requestMetaFromHeaders(new Headers({ "x-salestrack-client-ip": "198.51.100.9" })).ip,
    ).toBe("198.51.100.9");
  });
});
