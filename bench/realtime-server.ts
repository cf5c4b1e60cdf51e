/**
 * Helper of bench/realtime.ts (not a benchmark): a web process without Next's router, on
 * BENCH_HTTP_PORT. The fast lane serves the signed bot events (the writer's TASK_LOG lines);
 * everything under /api/trpc goes to the app's real tRPC route handler
 * (src/app/api/trpc/[trpc]/route.ts): the browser's session cookie resolved by next-auth,
 * membership and permission checks, the `logs.stream` subscription over SSE. Next's
 * `next/headers` only exists inside Next's request scope, so next-auth (which `require`s it)
 * gets a stand-in serving the headers of the request being handled, per async context.
 * Logs one "realtime server listening" line on stdout when ready; SIGTERM closes it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";

const port = Number(process.env.BENCH_HTTP_PORT);
const requestHeaders = new AsyncLocalStorage<Headers>();

function cookiesOf(headers: Headers) {
  const list = (headers.get("cookie") ?? "")
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
  return { getAll: () => list, get: (name: string) => list.find((c) => c.name === name) };
}

const nodeRequire = createRequire(__filename);
const nextHeadersPath = nodeRequire.resolve("next/headers");
nodeRequire.cache[nextHeadersPath] = {
  id: nextHeadersPath,
  filename: nextHeadersPath,
  loaded: true,
  exports: {
    headers: async () => requestHeaders.getStore() ?? new Headers(),
    cookies: async () => cookiesOf(requestHeaders.getStore() ?? new Headers()),
  },
} as unknown as NodeJS.Module;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A node request as the fetch Request a route handler takes; aborted when the client goes. */
async function toRequest(req: IncomingMessage, res: ServerResponse): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const closed = new AbortController();
  res.on("close", () => closed.abort());
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
  return new Request(`http://127.0.0.1:${port}${req.url}`, {
    method: req.method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
    signal: closed.signal,
  });
}

/** Writes a fetch Response, streaming its body chunk by chunk (SSE events leave at once). */
async function writeResponse(response: Response, res: ServerResponse) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      res.write(chunk);
    }
  } catch {
    // The client went away mid-stream.
  }
  res.end();
}

async function main() {
  const { createFastLane } = await import("../src/server/http/fast-lane");
  const { registerAgentBridge } = await import("../src/modules/campaigns/agent-bridge");
  const { closeDatabase } = await import("../src/server/db/client");
  const trpc = await import("../src/app/api/trpc/[trpc]/route");
  registerAgentBridge();
  const lane = createFastLane();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://internal");
    const fast = lane.match(req.method ?? "GET", url.pathname);
    if (fast) return void lane.serve(fast, req, res, url);
    if (!url.pathname.startsWith("/api/trpc/")) return void res.writeHead(404).end();
    void (async () => {
      const request = await toRequest(req, res);
      const handler = request.method === "POST" ? trpc.POST : trpc.GET;
      const response = await requestHeaders.run(request.headers, () => handler(request));
      await writeResponse(response, res);
    })().catch((err: unknown) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(JSON.stringify({ msg: "realtime server listening", port }));
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => void closeDatabase().finally(() => process.exit(0)));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
