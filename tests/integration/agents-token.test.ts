/**
 * Agent tokens on the real fast lane (docs/agents.md, Tokens): a bot exchanges its id and
 * secret for a short-lived, scope-limited JWT and pulls, heartbeats and reports with it; a
 * missing scope is 403; an expired, tampered, unsigned (`alg: none`) or foreign token is 401;
 * a token cannot reach another bot's tasks; rotating the secret (once the overlap is over),
 * revoking it or deleting the bot stops its tokens within the identity cache window; the
 * request body is validated. Both SDKs' `useTokens` paths run against it.
 */
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAgentToken } from "@/modules/bots/agent-tokens";
import { botAgentSecrets } from "@/modules/bots/agents.table";
import { AGENT_CACHE_MS } from "@/modules/bots/agents.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createClient, createTokenSource } from "../../sdk/typescript/src/index";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { agentAuth, createAgentBot, pull, taskRow, type Agent } from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;
let t: Tenant;

const cacheExpiry = () => new Promise((r) => setTimeout(r, AGENT_CACHE_MS + 100));

beforeAll(async () => {
  lane = await startFastLane();
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await closeDatabase();
});

type Answer = { status: number; json: Record<string, unknown>; challenge: string | null };
type ErrorBody = {
  code: string;
  key: string;
  params?: Record<string, unknown>;
  fieldErrorKeys?: Record<string, { key: string }[]>;
};

async function post(path: string, authorization: string | null, body: unknown = {}) {
  const res = await fetch(`${lane.url}/api/v1/agent${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization ? { authorization } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
    challenge: res.headers.get("www-authenticate"),
  } satisfies Answer;
}

const errorOf = (answer: Answer) => answer.json.error as ErrorBody;
const bearer = (token: string) => `Bearer ${token}`;

/** `POST /agent/token` with the bot's Basic credentials; the token, or a failed test. */
async function tokenFor(agent: Agent, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await post("/token", agentAuth(agent), body);
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer)}`);
  return answer.json.token as string;
}

const withToken = (token: string, path: string, body: unknown = {}) =>
  post(path, bearer(token), body);

const partsOf = (token: string) => {
  const [h, c, s] = token.split(".") as [string, string, string];
  const decode = (p: string) =>
    JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
  return { h, c, s, header: decode(h), claims: decode(c) };
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function createTasks(agent: Agent, n: number): Promise<string[]> {
  const api = callerFor(t);
  await api.tasks.defineAction({ name: "token.visit", schema: { type: "object" } });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "token.visit",
      payload: { n: i },
    });
    ids.push(task.id);
  }
  return ids;
}

/** A signed-in request's 401 in Bearer terms, with the error code behind it. */
function expectInvalidToken(answer: Answer, key: string) {
  expect(answer.status).toBe(401);
  expect(errorOf(answer)).toMatchObject({ code: "UNAUTHORIZED", key });
  expect(answer.challenge).toMatch(/^Bearer realm="salestrack-agents", error="invalid_token"/);
}

describe("issuing", () => {
  it("exchanges Basic id and secret for a JWT with every scope for 15 minutes", async () => {
    const agent = await createAgentBot(t);
    const before = Date.now();
    const answer = await post("/token", agentAuth(agent));
    expect(answer.status).toBe(200);
    const { token, expiresAt, scopes } = answer.json as {
      token: string;
      expiresAt: string;
      scopes: string[];
    };
    expect(scopes).toEqual(["tasks:pull", "tasks:heartbeat", "tasks:result"]);
    const expires = Date.parse(expiresAt);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 900_000);

    const { header, claims } = partsOf(token);
    expect(header).toMatchObject({ alg: "HS256", typ: "JWT" });
    expect(claims).toMatchObject({
      iss: "salestrack",
      sub: agent.botId,
      ws: t.workspaceId,
      scope: "tasks:pull tasks:heartbeat tasks:result",
      exp: expires / 1000,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.sv).toEqual(expect.any(String));
    expect(token).not.toContain(agent.secret.slice(6, 30));
  });

  it("narrows scopes and lifetime on request", async () => {
    const agent = await createAgentBot(t);
    const answer = await post("/token", agentAuth(agent), {
      scopes: ["tasks:result", "tasks:pull", "tasks:result"],
      expiresInSeconds: 120,
    });
    expect(answer.json.scopes).toEqual(["tasks:pull", "tasks:result"]);
    const { claims } = partsOf(answer.json.token as string);
    expect(claims.scope).toBe("tasks:pull tasks:result");
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it("is refused without the secret: wrong secret, nothing, or a token", async () => {
    const agent = await createAgentBot(t);
    const wrong = await post("/token", agentAuth({ ...agent, secret: "whsec_AAAA" }));
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).key).toBe("agent.unauthorized");
    expect(wrong.challenge).toBe('Basic realm="salestrack-agents", charset="UTF-8"');

    const none = await post("/token", null);
    expect(none.status).toBe(401);
    expect(errorOf(none).key).toBe("agent.credentialsMissing");

    // A token cannot buy another: only the secret does.
    const renewed = await post("/token", bearer(await tokenFor(agent)));
    expect(renewed.status).toBe(401);
    expect(errorOf(renewed).key).toBe("agent.credentialsMissing");
  });

  it("answers a bad body with 400 and its code (after checking who asks)", async () => {
    const agent = await createAgentBot(t);
    const tooLong = await post("/token", agentAuth(agent), { expiresInSeconds: 7200 });
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong).code).toBe("BAD_REQUEST");
    expect(errorOf(tooLong).fieldErrorKeys?.expiresInSeconds?.[0]?.key).toBe("agent.tokenLifetime");

    const tooShort = await post("/token", agentAuth(agent), { expiresInSeconds: 5 });
    expect(errorOf(tooShort).fieldErrorKeys?.expiresInSeconds?.[0]?.key).toBe(
      "agent.tokenLifetime",
    );

    const unknownScope = await post("/token", agentAuth(agent), { scopes: ["tasks:admin"] });
    expect(unknownScope.status).toBe(400);
    expect(errorOf(unknownScope).fieldErrorKeys?.["scopes.0"]?.[0]?.key).toBe("agent.scopeUnknown");

    // A misspelt field must not fall back to "every scope".
    const misspelt = await post("/token", agentAuth(agent), { scope: ["tasks:pull"] });
    expect(misspelt.status).toBe(400);

    const notJson = await post("/token", agentAuth(agent), "{nope");
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).key).toBe("request.jsonInvalid");

    const stranger = await post("/token", agentAuth({ ...agent, secret: "whsec_AAAA" }), {
      expiresInSeconds: 7200,
    });
    expect(stranger.status).toBe(401);
  });
});

describe("using a token", () => {
  it("pulls, heartbeats and reports a result with Bearer alone", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    const token = await tokenFor(agent);

    const pulled = await withToken(token, "/pull", { limit: 5, worker: "jwt" });
    expect(pulled.status).toBe(200);
    expect((pulled.json.tasks as { id: string }[]).map((task) => task.id)).toEqual([id]);
    expect(await taskRow(t.workspaceId, id!)).toMatchObject({ status: "LEASED", attempts: 1 });

    const beat = await withToken(token, `/tasks/${id}/heartbeat`, { attempt: 1 });
    expect(beat.status).toBe(200);
    expect(beat.json).toMatchObject({ status: "LEASED" });

    const done = await withToken(token, `/tasks/${id}/result`, {
      ok: true,
      attempt: 1,
      output: { a: 1 },
    });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ id, status: "SUCCEEDED", changed: true });
    expect(await taskRow(t.workspaceId, id!)).toMatchObject({
      status: "SUCCEEDED",
      result: { output: { a: 1 } },
    });
  });

  it("needs the route's scope: 403 agent.scopeMissing, nothing changed", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    const pullOnly = await tokenFor(agent, { scopes: ["tasks:pull"] });
    expect((await withToken(pullOnly, "/pull")).status).toBe(200);
    const leased = await taskRow(t.workspaceId, id!);
    expect(leased.status).toBe("LEASED");

    const beat = await withToken(pullOnly, `/tasks/${id}/heartbeat`, { attempt: 1 });
    expect(beat.status).toBe(403);
    expect(errorOf(beat)).toMatchObject({
      code: "FORBIDDEN",
      key: "agent.scopeMissing",
      params: { scope: "tasks:heartbeat" },
    });
    expect(beat.challenge).toBe(
      'Bearer realm="salestrack-agents", error="insufficient_scope", scope="tasks:heartbeat"',
    );
    const result = await withToken(pullOnly, `/tasks/${id}/result`, { ok: true, attempt: 1 });
    expect(result.status).toBe(403);
    expect(errorOf(result).params).toEqual({ scope: "tasks:result" });
    expect(await taskRow(t.workspaceId, id!)).toMatchObject({
      status: "LEASED",
      leaseExpiresAt: leased.leaseExpiresAt,
    });

    const noPull = await tokenFor(agent, { scopes: ["tasks:heartbeat", "tasks:result"] });
    const refused = await withToken(noPull, "/pull");
    expect(refused.status).toBe(403);
    expect(errorOf(refused).params).toEqual({ scope: "tasks:pull" });
    expect((await withToken(noPull, `/tasks/${id}/result`, { ok: true, attempt: 1 })).status).toBe(
      200,
    );
    expect((await taskRow(t.workspaceId, id!)).status).toBe("SUCCEEDED");
  });

  it("still obeys the bot's IP allowlist", async () => {
    const agent = await createAgentBot(t);
    const token = await tokenFor(agent);
    expect((await withToken(token, "/pull")).status).toBe(200);
    await callerFor(t).bots.updateAgentSettings({
      id: agent.botId,
      ipAllowlist: ["10.0.0.0/8"],
      eventWindowSeconds: 300,
      leaseSeconds: 60,
    });
    await cacheExpiry();
    const refused = await withToken(token, "/pull");
    expect(refused.status).toBe(403);
    expect(errorOf(refused).key).toBe("agent.ipNotAllowed");
  });
});

describe("refused tokens", () => {
  it("an expired token is 401 agent.tokenExpired; the same token still valid works", async () => {
    const agent = await createAgentBot(t);
    const issued = (now: number) =>
      issueAgentToken({
        botId: agent.botId,
        workspaceId: t.workspaceId,
        secret: agent.secret,
        ttlSeconds: 60,
        now,
      }).token;
    expect((await withToken(issued(Date.now()), "/pull")).status).toBe(200);
    expectInvalidToken(
      await withToken(issued(Date.now() - 120_000), "/pull"),
      "agent.tokenExpired",
    );
  });

  it("a tampered signature or payload is 401 agent.tokenInvalid", async () => {
    const agent = await createAgentBot(t);
    const token = await tokenFor(agent, { scopes: ["tasks:pull"] });
    const { h, c, s, claims } = partsOf(token);
    expect((await withToken(token, "/pull")).status).toBe(200);

    const flipped = `${h}.${c}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
    expectInvalidToken(await withToken(flipped, "/pull"), "agent.tokenInvalid");

    // Widening the scope by editing the payload breaks the signature.
    const widened = b64({ ...claims, scope: "tasks:pull tasks:heartbeat tasks:result" });
    expectInvalidToken(
      await withToken(
        `${h}.${widened}.${s}`,
        "/tasks/00000000-0000-4000-8000-000000000000/result",
        {
          ok: true,
        },
      ),
      "agent.tokenInvalid",
    );
    expectInvalidToken(await withToken("not-a-jwt", "/pull"), "agent.tokenInvalid");
  });

  it("alg none, another algorithm or the raw app key are 401 agent.tokenInvalid", async () => {
    const agent = await createAgentBot(t);
    const { c, s, claims } = partsOf(await tokenFor(agent));
    const none = b64({ alg: "none", typ: "JWT" });
    expectInvalidToken(await withToken(`${none}.${c}.`, "/pull"), "agent.tokenInvalid");
    expectInvalidToken(await withToken(`${none}.${c}.${s}`, "/pull"), "agent.tokenInvalid");
    expectInvalidToken(
      await withToken(`${b64({ alg: "HS512", typ: "JWT" })}.${c}.${s}`, "/pull"),
      "agent.tokenInvalid",
    );

    // Signed with SECRETS_ENCRYPTION_KEY itself: tokens use a key derived from it, never it.
    const raw = Buffer.from(process.env.SECRETS_ENCRYPTION_KEY!, "base64");
    const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
    const forged = `${input}.${createHmac("sha256", raw).update(input).digest("base64url")}`;
    expectInvalidToken(await withToken(forged, "/pull"), "agent.tokenInvalid");
  });

  it("a token for bot A cannot touch bot B's tasks", async () => {
    const a = await createAgentBot(t);
    const b = await createAgentBot(t);
    const [leasedByB, pendingForB] = await createTasks(b, 2);
    expect((await pull(lane.url, b, 1)).map((task) => task.id)).toEqual([leasedByB]);
    const tokenA = await tokenFor(a);

    const beat = await withToken(tokenA, `/tasks/${leasedByB}/heartbeat`, { attempt: 1 });
    expect(beat.status).toBe(404);
    expect(errorOf(beat).key).toBe("task.notFound");
    const result = await withToken(tokenA, `/tasks/${leasedByB}/result`, {
      ok: true,
      attempt: 1,
    });
    expect(result.status).toBe(404);
    const pulled = await withToken(tokenA, "/pull", { limit: 10 });
    expect(pulled.status).toBe(200);
    expect(pulled.json.tasks).toEqual([]);

    expect(await taskRow(t.workspaceId, leasedByB!)).toMatchObject({
      status: "LEASED",
      attempts: 1,
    });
    expect((await taskRow(t.workspaceId, pendingForB!)).status).toBe("PENDING");
  });

  it("a token naming another workspace than its bot's is refused", async () => {
    const agent = await createAgentBot(t);
    const other = await freshTenant();
    const issued = (workspaceId: string) =>
      issueAgentToken({ botId: agent.botId, workspaceId, secret: agent.secret }).token;
    expect((await withToken(issued(t.workspaceId), "/pull")).status).toBe(200);
    expectInvalidToken(await withToken(issued(other.workspaceId), "/pull"), "agent.tokenRevoked");
  });
});

describe("revocation", () => {
  it("a token works while its secret does: through a rotation's overlap, not after", async () => {
    const agent = await createAgentBot(t);
    const api = callerFor(t);
    const first = await tokenFor(agent);

    const { secret: second } = await api.bots.rotateSecret({
      id: agent.botId,
      overlapSeconds: 3600,
    });
    await cacheExpiry();
    expect((await withToken(first, "/pull")).status).toBe(200);
    const fromSecond = await tokenFor({ ...agent, secret: second! });
    expect((await withToken(fromSecond, "/pull")).status).toBe(200);

    // The overlap ends: the first secret's row expires, and so does every token it bought.
    await systemDb()
      .update(botAgentSecrets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(botAgentSecrets.botId, agent.botId), isNotNull(botAgentSecrets.expiresAt)));
    await cacheExpiry();
    expectInvalidToken(await withToken(first, "/pull"), "agent.tokenRevoked");
    expect((await withToken(fromSecond, "/pull")).status).toBe(200);

    // Revoked (rotated with no overlap): the second secret's tokens stop too.
    const { secret: third } = await api.bots.rotateSecret({ id: agent.botId, overlapSeconds: 0 });
    await cacheExpiry();
    expectInvalidToken(await withToken(fromSecond, "/pull"), "agent.tokenRevoked");
    expect((await post("/token", agentAuth({ ...agent, secret: second! }))).status).toBe(401);
    const fromThird = await tokenFor({ ...agent, secret: third! });
    expect((await withToken(fromThird, "/pull")).status).toBe(200);
  });

  it("deleting the bot stops its tokens", async () => {
    const agent = await createAgentBot(t);
    const token = await tokenFor(agent);
    expect((await withToken(token, "/pull")).status).toBe(200);
    await callerFor(t).bots.delete({ id: agent.botId });
    await cacheExpiry();
    expectInvalidToken(await withToken(token, "/pull"), "agent.tokenRevoked");
  });
});

describe("SDKs with tokens", () => {
  /** fetch that records each agent call's route and scheme, and can spoil one token. */
  function recordingFetch(spoil = 0) {
    const calls: string[] = [];
    let spoiled = 0;
    const doFetch: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      let auth = headers.get("authorization") ?? "";
      const route = String(input).replace(/^.*\/api\/v1\/agent/, "");
      calls.push(`${route.replace(/[0-9a-f-]{36}/, "{id}")} ${auth.split(" ")[0]}`);
      if (auth.startsWith("Bearer ") && spoiled < spoil) {
        spoiled++;
        auth = `${auth.slice(0, -2)}${auth.endsWith("AA") ? "BB" : "AA"}`;
        headers.set("authorization", auth);
      }
      return fetch(input, { ...init, headers });
    };
    return { calls, doFetch };
  }

  it("TypeScript: useTokens fetches one token and pulls, heartbeats and reports with it", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    const { calls, doFetch } = recordingFetch();
    const client = createClient({ ...agent, baseUrl: lane.url, useTokens: true, fetch: doFetch });
    const { tasks } = await client.pull({ limit: 1 });
    expect(tasks.map((task) => task.id)).toEqual([id]);
    const { attempt } = tasks[0]!;
    await client.heartbeat(id!, attempt);
    expect(await client.result(id!, attempt, { ok: true })).toMatchObject({
      status: "SUCCEEDED",
    });
    expect(calls).toEqual([
      "/token Basic",
      "/pull Bearer",
      "/tasks/{id}/heartbeat Bearer",
      "/tasks/{id}/result Bearer",
    ]);

    const basic = recordingFetch();
    await createClient({ ...agent, baseUrl: lane.url, fetch: basic.doFetch }).pull();
    expect(basic.calls).toEqual(["/pull Basic"]);
  });

  it("TypeScript: a refused token is replaced once, then the call succeeds", async () => {
    const agent = await createAgentBot(t);
    const { calls, doFetch } = recordingFetch(1);
    const client = createClient({
      ...agent,
      baseUrl: lane.url,
      useTokens: true,
      tokenOptions: { scopes: ["tasks:pull"], lifetimeSeconds: 120 },
      fetch: doFetch,
    });
    expect(await client.pull()).toMatchObject({ tasks: [] });
    expect(calls).toEqual(["/token Basic", "/pull Bearer", "/token Basic", "/pull Bearer"]);

    // A second refusal in a row is the caller's: no loop.
    const always = recordingFetch(Infinity);
    const stubborn = createClient({
      ...agent,
      baseUrl: lane.url,
      useTokens: true,
      fetch: always.doFetch,
    });
    await expect(stubborn.pull()).rejects.toMatchObject({ status: 401, key: "agent.tokenInvalid" });
    expect(always.calls).toEqual(["/token Basic", "/pull Bearer", "/token Basic", "/pull Bearer"]);
  });

  it("TypeScript: the token source renews a little before expiry, once for concurrent calls", async () => {
    let now = 1_800_000_000_000;
    let n = 0;
    const source = createTokenSource(
      () =>
        Promise.resolve({
          token: `tok${++n}`,
          expiresAt: new Date(now + 300_000).toISOString(),
          scopes: ["tasks:pull" as const],
        }),
      { lifetimeSeconds: 300, now: () => now },
    );
    expect(await Promise.all([source.header(), source.header()])).toEqual([
      "Bearer tok1",
      "Bearer tok1",
    ]);
    now += 239_000;
    expect(await source.header()).toBe("Bearer tok1");
    now += 2_000;
    expect(await source.header()).toBe("Bearer tok2");
    source.invalidate("Bearer tok1");
    expect(await source.header()).toBe("Bearer tok2");
    source.invalidate("Bearer tok2");
    expect(await source.header()).toBe("Bearer tok3");
  });

  it("Python: use_tokens pulls with a bearer token the server accepts", async () => {
    const agent = await createAgentBot(t);
    const [id] = await createTasks(agent, 1);
    const script = [
      "import json, sys",
      "from salestrack_agent import create_client",
      "c = create_client(sys.argv[1], sys.argv[2], sys.argv[3], use_tokens=True,",
      "                  token_scopes=['tasks:pull'], token_lifetime=120)",
      "tasks = c.pull(limit=1)['tasks']",
      "print(json.dumps({'ids': [t['id'] for t in tasks]}))",
      "try:",
      "    c.heartbeat(tasks[0]['id'], tasks[0]['attempt'])",
      "except Exception as err:",
      "    print(json.dumps({'status': err.status, 'key': err.key}))",
    ].join("\n");
    const run = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(
        "python3",
        ["-c", script, agent.botId, agent.secret, lane.url],
        {
          cwd: path.resolve(__dirname, "../../sdk/python"),
          timeout: 15_000,
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        },
        (_err, stdout, stderr) => resolve({ stdout, stderr }),
      );
    });
    expect(run.stderr).toBe("");
    const [pulled, heartbeat] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(pulled).toEqual({ ids: [id] });
    // With Basic this heartbeat would pass: the pull-only token proves the SDK used a token.
    expect(heartbeat).toEqual({ status: 403, key: "agent.scopeMissing" });
    expect((await taskRow(t.workspaceId, id!)).status).toBe("LEASED");
  });
});
