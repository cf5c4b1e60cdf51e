/**
 * The fast lane itself: route table, ops endpoints, body limits, per-client rate limits and
 * the error shape, on a real loopback server.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { hubSignature, postRaw, startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;

beforeAll(async () => {
  lane = await startFastLane();
});

afterAll(async () => {
  await lane?.close();
  await closeDatabase();
});

/** Streams `total` bytes without a Content-Length (chunked); resolves with the status. */
function postChunked(url: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may close while we are still writing; the response is what matters.
    req.on("error", (err) => setTimeout(() => reject(err), 500));
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("fast lane", () => {
  it("serves the ops endpoints, HEAD included", async () => {
    const health = await fetch(`${lane.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const head = await fetch(`${lane.url}/api/health`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(`${lane.url}/api/version`)).status).toBe(200);
  });

  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const res = await fetch(`${lane.url}/api/webhooks/whatsapp`, { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(await res.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("leaves unknown paths alone (the lane's own listener answers 404 in the error shape)", async () => {
    const res = await fetch(`${lane.url}/api/webhooks/nope`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: "NOT_FOUND",
        key: "request.notFound",
        message: "Not found",
        requestId: expect.any(String),
      },
    });
  });

  it("refuses bodies over the limit with 413, declared or streamed", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 1, "a");
    const declared = await postRaw(`${lane.url}/api/webhooks/whatsapp`, big, {
      "x-hub-signature-256": hubSignature(big, "whatever-secret-123"),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });

    const infobip = `${lane.url}/api/webhooks/infobip/0b8f3a52-6a1f-4f7e-9c1b-5c2d3e4f5a6b`;
    expect(await postChunked(infobip, 2 * 1024 * 1024)).toBe(413);
    // A body under the limit gets past the size check (and fails on credentials instead).
    expect(await postChunked(infobip, 256 * 1024)).toBe(401);
  });

  it("rate limits each client on its own: 429 with Retry-After, other clients unaffected", async () => {
    const limited = await startFastLane({
      rateLimits: { webhooks: { capacity: 2, refillPerSecond: 0.25 } },
    });
    try {
      const url = `${limited.url}/api/webhooks/whatsapp`;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await postRaw(url, "{}")).status);
      // Unsigned: 401 while tokens last, then 429 before the body is even read.
      expect(statuses).toEqual([401, 401, 429]);
      const refused = await postRaw(url, "{}");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(4);
      expect(await refused.json()).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });

      // Behind a loopback proxy another client is told apart by the hop it appended.
      const other = await postRaw(url, "{}", { "x-forwarded-for": "198.51.100.9" });
      expect(other.status).toBe(401);
      // Ops endpoints are never limited.
      expect((await fetch(`${limited.url}/api/health`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
