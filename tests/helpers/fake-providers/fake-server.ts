import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The machinery shared by the fake providers: a node:http server on 127.0.0.1 (port 0) that
 * records every request, dedupes accepted messages by their idempotency id, and can be
 * scripted to fail, hang or drop the connection. Each provider module only says how to
 * authenticate a request, which messages it carries and what success looks like.
 */

export type FakeReply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** False for an HTTP 2xx that still refuses the message (Infobip's REJECTED status). */
  accepted?: boolean;
};

/** A scripted answer: a reply, or "drop" = process the message, then cut the connection. */
export type FakeScript = FakeReply | "drop";

export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
  /** Idempotency ids of the messages in the request (webhook-id, messageId, recipient id). */
  ids: string[];
  /** Recipients' numbers, digits only. */
  to: string[];
  /** What the fake answered; "dropped" when the connection was cut after processing. */
  status: number | "dropped";
  /** Whether the provider took the message(s): a 2xx (or a drop) not marked as refused. */
  accepted: boolean;
  at: number;
};

export type RouteResult =
  { reject: FakeReply } | { messages: { id: string; to: string }[]; success: () => FakeReply };

export type RouteRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
};

export type FakeProvider = {
  url: string;
  port: number;
  /** Every request, in arrival order, refused or not. */
  received: RecordedRequest[];
  /** The first accepted request per message id: what a deduping provider would keep. */
  unique: Map<string, RecordedRequest>;
  /** How many times the message with this id was accepted. */
  count(id: string): number;
  /** Ids accepted more than once. */
  duplicates(): string[];
  /** The next n valid requests get this answer instead of success. */
  failNext(n: number, script: FakeScript): void;
  /** Every valid request to this number gets this answer (until reset). */
  failFor(to: string, script: FakeScript): void;
  /** Delay before each answer; a long one simulates a hung provider. */
  setLatency(ms: number): void;
  /** Forgets recordings and scripts. */
  reset(): void;
  close(): Promise<void>;
};

export function digits(phone: string): string {
  return phone.replace(/\D/g, "");
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export async function startFakeServer(
  route: (req: RouteRequest) => RouteResult,
): Promise<FakeProvider> {
  const received: RecordedRequest[] = [];
  const unique = new Map<string, RecordedRequest>();
  const counts = new Map<string, number>();
  let queued: FakeScript[] = [];
  let perNumber = new Map<string, FakeScript>();
  let latencyMs = 0;
  const closing = new AbortController();

  const server = createServer((req, res) => {
    // A client that gives up mid-request (timeout, abort) must not crash the test process.
    handle(req, res).catch(() => req.socket.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const rawBody = await readBody(req);
    const request: RouteRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
    };
    if (latencyMs > 0) {
      try {
        await sleep(latencyMs, undefined, { signal: closing.signal });
      } catch {
        return;
      }
    }

    const routed = route(request);
    let script: FakeScript;
    let ids: string[] = [];
    let to: string[] = [];
    if ("reject" in routed) script = routed.reject;
    else {
      ids = routed.messages.map((m) => m.id);
      to = routed.messages.map((m) => digits(m.to));
      script = queued.shift() ?? perNumber.get(to[0] ?? "") ?? routed.success();
    }

    const accepted =
      !("reject" in routed) &&
      (script === "drop" ||
        (script.status >= 200 && script.status < 300 && script.accepted !== false));
    const record: RecordedRequest = {
      ...request,
      ids,
      to,
      status: script === "drop" ? "dropped" : script.status,
      accepted,
      at: Date.now(),
    };
    received.push(record);
    if (accepted) {
      for (const id of ids) {
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (!unique.has(id)) unique.set(id, record);
      }
    }

    if (script === "drop") {
      req.socket.destroy();
      return;
    }
    const body = script.body === undefined ? "" : JSON.stringify(script.body);
    res.writeHead(script.status, {
      ...(body ? { "content-type": "application/json" } : {}),
      ...script.headers,
    });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    unique,
    count: (id) => counts.get(id) ?? 0,
    duplicates: () => [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    failNext(n, script) {
      for (let i = 0; i < n; i++) queued.push(script);
    },
    failFor(to, script) {
      perNumber.set(digits(to), script);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    reset() {
      received.length = 0;
      unique.clear();
      counts.clear();
      queued = [];
      perNumber = new Map();
      latencyMs = 0;
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
