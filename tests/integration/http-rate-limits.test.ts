/**
 * Rate and size limits at the edges: REST per API key, tRPC body size / batch size / mutations
 * per user, uploads (slots per workspace and per process, starts per workspace, minimum
 * transfer rate) and the local issuer's login form. Each refusal says when to come back.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Session } from "next-auth";
import { afterAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { POST as uploadRoute } from "@/app/api/contacts/imports/route";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { LOCAL_USERS, startLocalIssuer } from "@/server/auth/local-issuer";
import { form, TestBrowser, type Discovery } from "@/server/auth/local-issuer/oidc-test-client";
import { closeDatabase } from "@/server/db/client";
import { withApiKey } from "@/server/http/api-key-auth";
import { createUploadGuard, type UploadLimits } from "@/server/http/upload-limits";
import { openApiDocument } from "@/server/openapi/document";
import { stopBoss } from "@/server/queue/boss";
import { storeUpload } from "@/modules/contacts/imports.service";
import { sessionOf } from "../helpers/fixtures";
import { expectAppError, freshTenant, storedUploadsIn, type Tenant } from "../helpers/import";
import { call, keyFor } from "./api-helpers";

// Route handlers read the session through next-auth, which needs Next's request scope.
const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

beforeEach(() => {
  session.current = null;
});

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

type TrpcError = {
  error: { json: { message: string; data: { code: string; httpStatus: number } } };
};

describe("REST: per API key", () => {
  it("serves 600 requests a minute per key; the 601st gets 429 with Retry-After", async () => {
    // The limiter's clock stands still, so no token refills while the 600 run.
    vi.useFakeTimers({ toFake: ["performance"] });
    onTestFinished(() => void vi.useRealTimers());
    const tenant = await freshTenant();
    const [busy, other] = await Promise.all([
      keyFor(tenant.workspaceId, ["contacts:read"]),
      keyFor(tenant.workspaceId, ["contacts:read"]),
    ]);
    const handler = withApiKey("contacts:read", async () => new Response(null, { status: 204 }));
    const statuses: number[] = [];
    for (let i = 0; i < 600; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => call(handler, { path: "/contacts", key: busy.secret })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 204)).toEqual([]);

    const refused = await call(handler, { path: "/contacts", key: busy.secret });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });
    // Another key of the same workspace has its own budget.
    expect((await call(handler, { path: "/contacts", key: other.secret })).status).toBe(204);
  });

  it("documents 429 with Retry-After on every operation of the OpenAPI document", () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { responses: Record<string, { headers?: Record<string, unknown> }> };
    };
    for (const [p, ops] of Object.entries(doc.paths)) {
      // A path item may carry its own `servers` (bot events live outside /api/v1).
      for (const [method, op] of Object.entries(ops).filter(([k]) => k !== "servers")) {
        expect(op.responses["429"], `${method} ${p}`).toEqual({
          $ref: "#/components/responses/TooManyRequests",
        });
      }
    }
    expect(doc.components.responses.TooManyRequests!.headers).toHaveProperty("Retry-After");
  });
});

describe("tRPC: body, batch and mutation limits", () => {
  const url = (paths: string[], batch = true) =>
    `http://localhost:3000/api/trpc/${paths.join(",")}${batch ? "?batch=1" : ""}`;
  const post = (target: string, body: BodyInit, headers: Record<string, string> = {}) =>
    trpcPost(
      new Request(target, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
    );
  const deletes = (n: number) => {
    const input = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [i, { json: { id: randomUUID() } }]),
    );
    return post(url(Array(n).fill("contacts.delete")), JSON.stringify(input));
  };

  it("refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE, declared or streamed", async () => {
    session.current = sessionOf({ id: randomUUID(), name: "T", email: null });
    const big = JSON.stringify({ json: { id: "x".repeat(1024 * 1024) } });
    const declared = await post(url(["contacts.delete"], false), big, {
      "content-length": String(Buffer.byteLength(big)),
    });
    expect(declared.status).toBe(413);
    const body = (await declared.json()) as TrpcError;
    expect(body.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.json.message).toMatch(/1 MB/);

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const piece = new Uint8Array(64 * 1024).fill(0x61);
        for (let i = 0; i < 20; i++) controller.enqueue(piece);
        controller.close();
      },
    });
    const streamed = await post(url(["contacts.delete"], false), chunks);
    expect(streamed.status).toBe(413);
  });

  it("refuses a batch of 51 calls with 400; 50 go through", async () => {
    const paths = (n: number) => url(Array(n).fill("workspaces.mine"));
    const over = await trpcGet(new Request(paths(51)));
    expect(over.status).toBe(400);
    expect(((await over.json()) as TrpcError).error.json.data.code).toBe("BAD_REQUEST");
    const fifty = await trpcGet(new Request(paths(50)));
    // Signed out: every call answers 401 — but the batch itself was accepted.
    expect(fifty.status).toBe(401);
    expect(((await fifty.json()) as unknown[]).length).toBe(50);
  });

  it("allows 120 mutations a minute per user; the rest of the batch that crosses it gets 429", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    onTestFinished(() => void vi.useRealTimers());
    const user = { id: randomUUID(), name: "Busy", email: null };
    session.current = sessionOf(user);
    for (const n of [50, 50]) {
      const res = await deletes(n);
      // Not a member of any workspace: each call is refused on its own, not rate limited.
      expect(res.status).toBe(403);
    }
    const crossing = await deletes(50);
    expect(crossing.status).toBe(429);
    expect(Number(crossing.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const calls = (await crossing.json()) as TrpcError[];
    expect(calls).toHaveLength(50);
    expect(calls.every((c) => c.error.json.data.code === "TOO_MANY_REQUESTS")).toBe(true);
    // Reads are not charged, and another user has their own budget.
    expect((await trpcGet(new Request(url(["workspaces.mine"])))).status).not.toBe(429);
    session.current = sessionOf({ id: randomUUID(), name: "Other", email: null });
    expect((await deletes(1)).status).toBe(403);
  });
});

describe("uploads", () => {
  const boundary = "----salestrack-test";
  const head = (name: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
    `Content-Type: text/csv\r\n\r\nphone,nombre\r\n595981000001,Ana\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const encoder = new TextEncoder();

  /** A browser upload whose body stays open until `finish()`. */
  function heldUpload(tenant: Tenant) {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        c.enqueue(encoder.encode(head("held.csv")));
      },
    });
    const response = uploadRoute(request(tenant, body));
    return {
      response,
      finish: () => {
        controller.enqueue(encoder.encode(tail));
        controller.close();
      },
    };
  }

  function request(tenant: Tenant, body: BodyInit) {
    return new Request("http://localhost:3000/api/contacts/imports", {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "x-workspace-id": tenant.workspaceId,
      },
      body,
      duplex: "half",
    } as RequestInit);
  }

  const quickUpload = (tenant: Tenant) =>
    uploadRoute(request(tenant, `${head("quick.csv")}${tail}`));

  async function until(check: () => boolean, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("condition not reached");
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const inFlight = () =>
    (globalThis as { __salestrackUploadGuard?: { inFlight: number } }).__salestrackUploadGuard
      ?.inFlight ?? 0;

  it("two slow uploads of one workspace do not block another workspace; a third gets 429", async () => {
    const [a, b] = await Promise.all([freshTenant(), freshTenant()]);
    session.current = sessionOf(a.user);
    const held = [heldUpload(a), heldUpload(a)];
    await until(() => inFlight() >= 2);

    const third = await quickUpload(a);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await third.json()).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });

    session.current = sessionOf(b.user);
    expect((await quickUpload(b)).status).toBe(201);

    for (const h of held) h.finish();
    expect((await Promise.all(held.map((h) => h.response))).map((r) => r.status)).toEqual([
      201, 201,
    ]);
    expect(inFlight()).toBe(0);
  });

  it("a workspace may start 10 uploads at once; the 11th gets 429 with Retry-After", async () => {
    const tenant = await freshTenant();
    session.current = sessionOf(tenant.user);
    for (let i = 0; i < 10; i++) expect((await quickUpload(tenant)).status).toBe(201);
    const refused = await quickUpload(tenant);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(1);
  });

  const limits: UploadLimits = {
    perWorkspace: 2,
    global: 3,
    minBytesPerSecond: 16 * 1024,
    windowMs: 300,
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const store = (
    tenant: Tenant,
    body: AsyncIterable<Uint8Array>,
    guard = createUploadGuard(limits),
  ) =>
    storeUpload({
      workspaceId: tenant.workspaceId,
      userId: tenant.userId,
      fileName: "x.csv",
      body,
      guard,
    });
  async function* paced(pieceBytes: number, everyMs: number, pieces: number) {
    yield encoder.encode("phone,nombre\n");
    for (let i = 0; i < pieces; i++) {
      await sleep(everyMs);
      yield encoder.encode(`${"5959810".padEnd(pieceBytes - 1, "0")}\n`);
    }
  }

  it("caps uploads per process across workspaces with 503 and Retry-After", async () => {
    const guard = createUploadGuard(limits);
    const [a, b, c] = await Promise.all([freshTenant(), freshTenant(), freshTenant()]);
    const releases = [
      guard.admit(a.workspaceId),
      guard.admit(a.workspaceId),
      guard.admit(b.workspaceId),
    ];
    const err = await expectAppError(store(c, paced(10, 1, 1), guard), "SERVICE_UNAVAILABLE");
    expect((err as unknown as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    releases.forEach((release) => release());
    await expect(store(c, paced(10, 1, 1), guard)).resolves.toMatchObject({ status: "uploaded" });
  });

  it("cuts off an upload slower than the minimum rate (or stalled) and stores nothing", async () => {
    const tenant = await freshTenant();
    // 1 KiB every 100 ms = 10 KiB/s, under 16 KiB/s.
    const slow = await expectAppError(store(tenant, paced(1024, 100, 30)), "BAD_REQUEST");
    expect(slow.key).toBe("upload.tooSlow");
    expect(slow.params).toMatchObject({ kbPerSecond: 16 });

    async function* stalled() {
      yield encoder.encode("phone,nombre\n");
      await sleep(10_000);
    }
    const started = Date.now();
    await expectAppError(store(tenant, stalled()), "BAD_REQUEST");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });

    // 4 KiB every 100 ms = 40 KiB/s: fine.
    await expect(store(tenant, paced(4096, 100, 8))).resolves.toMatchObject({
      status: "uploaded",
    });
  });
});

describe("local issuer: sign-in attempts", () => {
  const RP = {
    clientId: "salestrack",
    clientSecret: "local-test-secret",
    redirectUri: "http://localhost:3000/api/auth/callback/keycloak",
  };
  const admin = LOCAL_USERS.find((u) => u.preferredUsername === "admin")!;

  async function issuerWith(signInLimits: Parameters<typeof startLocalIssuer>[0]["signInLimits"]) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "issuer-limits-"));
    const issuer = await startLocalIssuer({
      port: 0,
      clientId: RP.clientId,
      clientSecret: RP.clientSecret,
      redirectUris: [RP.redirectUri],
      postLogoutRedirectUris: ["http://localhost:3000/"],
      dataDir,
      signInLimits,
      logger: { info: () => {}, warn: () => {} },
    });
    const discovery = (await (
      await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery;
    return {
      browser: () => new TestBrowser(discovery, RP),
      close: async () => {
        await issuer.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }

  it("after the failures an account allows, even the right password waits (429, Retry-After)", async () => {
    const issuer = await issuerWith({ perAccount: { capacity: 3, refillPerSecond: 0.001 } });
    try {
      const browser = issuer.browser();
      const { loginUrl } = await browser.authorize();
      for (let i = 0; i < 3; i++) {
        const res = await browser.request(loginUrl, form({ username: "admin", password: "nope" }));
        expect(res.status).toBe(200);
      }
      // The same account by its e-mail, in another case, with the right password.
      const blocked = await browser.request(
        loginUrl,
        form({ username: admin.email.toUpperCase(), password: "admin-demo-1" }),
      );
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(1);
      expect(await blocked.text()).toContain("Too many attempts");
      // Other accounts are unaffected.
      await expect(issuer.browser().signIn("operator", "operator-demo-1")).resolves.toHaveProperty(
        "id_token",
      );
    } finally {
      await issuer.close();
    }
  });

  it("bounds attempts per client address, whatever account they try", async () => {
    const issuer = await issuerWith({ perAddress: { capacity: 4, refillPerSecond: 0.001 } });
    try {
      const browser = issuer.browser();
      const { loginUrl } = await browser.authorize();
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const username = `nobody-${randomBytes(3).toString("hex")}`;
        const res = await browser.request(loginUrl, form({ username, password: "x" }));
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      // Behind the (trusted, loopback) proxy another client is told apart by its address.
      const other = await browser.request(
        loginUrl,
        form({ username: "someone", password: "x" }, { "x-forwarded-for": "198.51.100.20" }),
      );
      expect(other.status).toBe(200);
    } finally {
      await issuer.close();
    }
  });
});
