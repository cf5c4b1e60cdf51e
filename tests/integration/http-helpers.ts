/**
 * The web process's HTTP listener (src/server/http/server.ts) on a loopback port, with the
 * real fast lane and a stand-in for Next that answers like the signed-out app: API-key routes
 * 401, pages a redirect to /signin, unknown API paths 404 — and `/echo` reports what the
 * listener handed Next (nonce, CSP, client address).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CLIENT_IP_HEADER } from "@/lib/request-meta";
import { createFastLane } from "@/server/http/fast-lane";
import { createHttpListener, type HttpListenerOptions } from "@/server/http/server";

export type HttpServer = { url: string; close: () => Promise<void> };

function fakeNext(req: IncomingMessage, res: ServerResponse): void {
  const { pathname } = new URL(req.url ?? "/", "http://internal");
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (pathname === "/echo") {
    return json(200, {
      nonce: req.headers["x-nonce"] ?? null,
      csp: req.headers["content-security-policy"] ?? null,
      ip: req.headers[CLIENT_IP_HEADER] ?? null,
    });
  }
  if (pathname === "/own-csp") {
    // Like the API docs page: a handler with its own, stricter policy.
    res.setHeader("content-security-policy", "default-src 'none'");
    return json(200, {});
  }
  if (pathname.startsWith("/api/v1/")) return json(401, { error: { code: "UNAUTHORIZED" } });
  if (pathname.startsWith("/api/")) {
    res.writeHead(404, { "content-type": "text/html" });
    return void res.end("<!doctype html><title>404</title>This page could not be found.");
  }
  res.writeHead(307, { location: "/signin" });
  res.end();
}

export async function startHttp(options: Partial<HttpListenerOptions> = {}): Promise<HttpServer> {
  const server = createServer(
    createHttpListener({ lane: createFastLane(), next: fakeNext, dev: false, ...options }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
