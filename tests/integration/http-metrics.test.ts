/**
 * Metrics are private and bounded: /api/metrics answers only with the token (else the same 404
 * as any unknown path), the loopback listener answers without one, and requests are labelled
 * by route template — 500 random paths add no series.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTrpcProcedures } from "@/server/http/metrics";
import { startMetricsServer } from "@/server/http/metrics-endpoint";
import { startHttp, type HttpServer } from "./http-helpers";

const TOKEN = "metrics-token-for-tests-0123456789";
const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

let http: HttpServer;

beforeAll(async () => {
  http = await startHttp({ metricsToken: TOKEN });
});

afterAll(async () => {
  await http?.close();
});

/** The HTTP series (name + labels, values dropped) currently exported. */
async function httpSeries(): Promise<Set<string>> {
  const res = await fetch(`${http.url}/api/metrics`, auth);
  expect(res.status).toBe(200);
  const lines = (await res.text()).split("\n");
  return new Set(
    lines
      .filter((l) => l.startsWith("salestrack_http_"))
      .map((l) => l.slice(0, l.lastIndexOf(" "))),
  );
}

const word = () => randomBytes(6).toString("hex");

/** Paths of the shapes scanners and broken clients send, each one new. */
function randomRequest(i: number): [string, RequestInit] {
  switch (i % 7) {
    case 0:
      return [`/${word()}`, {}];
    case 1:
      return [`/contacts/${word()}/${word()}`, {}];
    case 2:
      return [`/api/v1/contacts/${randomUUID()}`, {}];
    case 3:
      return [`/api/v1/${word()}/${word()}`, {}];
    case 4:
      return [`/api/trpc/${word()}.${word()},contacts.list`, {}];
    case 5:
      return [`/api/webhooks/infobip/${word()}`, { method: "GET" }];
    default:
      return [`/_next/static/chunks/${word()}.js`, {}];
  }
}

async function send(count: number, offset = 0): Promise<void> {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, async (_, j) => {
        const [path, init] = randomRequest(offset + i + j);
        const res = await fetch(`${http.url}${path}`, { ...init, redirect: "manual" });
        await res.arrayBuffer();
      }),
    );
  }
}

describe("metrics endpoint", () => {
  it("is a 404 on the main port without the right token, exactly like an unknown path", async () => {
    const unknown = await fetch(`${http.url}/api/metricz`);
    const body = await unknown.text();
    for (const headers of [
      {},
      { authorization: "Bearer wrong-token-of-some-length-000" },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` },
    ] as Record<string, string>[]) {
      const res = await fetch(`${http.url}/api/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe(body);
      expect(res.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
    }
    const ok = await fetch(`${http.url}/api/metrics`, auth);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toContain("salestrack_http_requests_total");
  });

  it("is a 404 on the main port when no token is configured, whatever is presented", async () => {
    const open = await startHttp({ metricsToken: undefined });
    try {
      const res = await fetch(`${open.url}/api/metrics`, { headers: { authorization: "Bearer " } });
      expect(res.status).toBe(404);
      expect((await fetch(`${open.url}/api/metrics`, auth)).status).toBe(404);
    } finally {
      await open.close();
    }
  });

  it("is served without credentials on the separate listener, and nothing else is", async () => {
    const server = (await startMetricsServer("127.0.0.1:0")) as Server;
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("salestrack_http_requests_total");
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: "POST" })).status).toBe(
        404,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reports a taken listen address instead of failing the web process", async () => {
    const first = (await startMetricsServer("127.0.0.1:0")) as Server;
    try {
      const { port } = first.address() as AddressInfo;
      await expect(startMetricsServer(`127.0.0.1:${port}`)).resolves.toBeNull();
      await expect(startMetricsServer("off")).resolves.toBeNull();
    } finally {
      await new Promise((resolve) => first.close(resolve));
    }
  });
});

describe("metric labels", () => {
  it("use route templates: 500 random paths add no series", async () => {
    registerTrpcProcedures(["contacts.list"]);
    // Every shape once (twice over), so each label × status already exists.
    await send(14);
    const before = await httpSeries();

    await send(500, 14);
    const after = await httpSeries();
    expect([...after].filter((s) => !before.has(s))).toEqual([]);
    expect(after.size).toBe(before.size);

    const routes = new Set([...after].map((s) => /route="([^"]*)"/.exec(s)?.[1]));
    const allowed = new Set([
      "(unmatched)",
      "/api/v1/contacts/{id}",
      "/api/trpc/(unknown)",
      "/api/trpc/contacts.list",
      "/api/webhooks/infobip/{botId}",
      "/_next/static/*",
      "/api/metrics",
    ]);
    expect([...routes].filter((r) => !allowed.has(r!))).toEqual([]);
  });

  it("label a known tRPC procedure by name", async () => {
    registerTrpcProcedures(["contacts.list"]);
    await (await fetch(`${http.url}/api/trpc/contacts.list`, { redirect: "manual" })).text();
    const series = await httpSeries();
    expect([...series].some((s) => s.includes('route="/api/trpc/contacts.list"'))).toBe(true);
  });
});
