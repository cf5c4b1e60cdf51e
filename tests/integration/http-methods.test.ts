/**
 * TRACE, which a WHATWG Request cannot carry, made Next throw: a 500 on every path (found by
 * schemathesis). The listener refuses it with a 405 before Next sees it.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttp, type HttpServer } from "./http-helpers";

let http: HttpServer;
beforeAll(async () => {
  http = await startHttp();
});
afterAll(() => http.close());

function send(method: string, path: string) {
  return new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
    const req = request(`${http.url}${path}`, { method }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a method Next cannot handle", () => {
  it("TRACE answers 405 with Allow and the JSON error shape", async () => {
    for (const path of ["/api/v1/contacts", "/dashboard"]) {
      const res = await send("TRACE", path);
      expect(res.status).toBe(405);
      expect(res.allow).toContain("GET");
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
    }
  });

  it("leaves the methods the app serves to it", async () => {
    expect((await send("GET", "/api/v1/contacts")).status).toBe(401);
    expect((await send("DELETE", "/api/v1/contacts")).status).toBe(401);
  });
});
