/**
 * API keys: created through the admin procedures with the secret returned once and only a
 * hash stored; audited without the secret; authentication rejects unknown, malformed and
 * revoked keys; `withApiKey` answers 401/403 in the API's error shape.
 */
import { TRPCError } from "@trpc/server";
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listContactsRoute } from "@/app/api/v1/contacts/route";
import { apiKeys } from "@/modules/apikeys/apikeys.table";
import { authenticateApiKey } from "@/modules/apikeys/apikeys.service";
import { auditLogs } from "@/modules/audit/audit.table";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";
import { call, keyFor, type ErrorBody } from "./api-helpers";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("API keys", () => {
  let ws: Workspace;
  let admin: User;
  let operator: User;

  beforeAll(async () => {
    ws = await createWorkspace();
    [admin, operator] = await Promise.all([createUser(), createUser()]);
    await addMember(ws, admin, "admin", "owner");
    await addMember(ws, operator, "operator");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const as = (user: User) => createCaller(contextFor(user, ws.id));

  it("returns the secret once and stores only its SHA-256 hash and a display prefix", async () => {
    const { key, secret } = await as(admin).apiKeys.create({
      name: "n8n",
      scopes: ["contacts:read", "contacts:write"],
    });
    expect(secret).toMatch(/^st_[0-9A-Za-z]{32,}$/);
    expect(key.prefix).toBe(secret.slice(0, 10));
    expect(key).not.toHaveProperty("secret");
    expect(key).not.toHaveProperty("keyHash");

    const [row] = await systemDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.keyHash).toBe(sha256(secret));
    expect(Object.values(row!).map(String)).not.toContain(secret);
    expect(row!.createdBy).toBe(admin.id);

    const list = await as(admin).apiKeys.list({});
    const listed = list.rows.find((r) => r.id === key.id)!;
    expect(listed.scopes).toEqual(["contacts:read", "contacts:write"]);
    expect(JSON.stringify(list)).not.toContain(secret.slice(10));

    const [audit] = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, key.id), eq(auditLogs.action, "apikey.created")));
    expect(audit!.actorUserId).toBe(admin.id);
    expect(audit!.after).toMatchObject({ name: "n8n", prefix: key.prefix });
    expect(JSON.stringify(audit)).not.toContain(secret.slice(10));
  });

  it("generates a different key every time", async () => {
    const a = await keyFor(ws.id);
    const b = await keyFor(ws.id);
    expect(a.secret).not.toBe(b.secret);
  });

  it("lets only admins manage keys and validates the input", async () => {
    const err = await as(operator)
      .apiKeys.create({ name: "nope", scopes: ["contacts:read"] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("FORBIDDEN");
    const bad = await as(admin)
      .apiKeys.create({ name: "x", scopes: [] })
      .catch((e: unknown) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("authenticates a key to its workspace and stamps lastUsedAt at most once a minute", async () => {
    const { key, secret } = await keyFor(ws.id, ["contacts:read"]);
    const principal = await authenticateApiKey(secret);
    expect(principal).toMatchObject({
      workspaceId: ws.id,
      apiKeyId: key.id,
      scopes: ["contacts:read"],
      defaultCountry: ws.defaultCountry,
    });
    const first = await systemDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(first[0]!.lastUsedAt).toBeInstanceOf(Date);
    await authenticateApiKey(secret);
    const second = await systemDb().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(second[0]!.lastUsedAt!.getTime()).toBe(first[0]!.lastUsedAt!.getTime());
  });

  it("rejects malformed, unknown and revoked keys", async () => {
    expect(await authenticateApiKey("")).toBeNull();
    expect(await authenticateApiKey("not-a-key")).toBeNull();
    expect(await authenticateApiKey(`st_${"a".repeat(40)}`)).toBeNull();

    const { key, secret } = await keyFor(ws.id);
    const revoked = await as(admin).apiKeys.revoke({ id: key.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey(secret)).toBeNull();

    // Revoking again changes nothing and is not audited twice.
    const again = await as(admin).apiKeys.revoke({ id: key.id });
    expect(again.revokedAt!.getTime()).toBe(revoked.revokedAt!.getTime());
    const audits = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, key.id), eq(auditLogs.action, "apikey.revoked")));
    expect(audits).toHaveLength(1);

    const active = await as(admin).apiKeys.list({});
    expect(active.rows.map((r) => r.id)).not.toContain(key.id);
    const all = await as(admin).apiKeys.list({ includeRevoked: true });
    expect(all.rows.map((r) => r.id)).toContain(key.id);
  });

  it("cannot revoke another workspace's key", async () => {
    const other = await createWorkspace();
    const { key, secret } = await keyFor(other.id);
    const err = await as(admin)
      .apiKeys.revoke({ id: key.id })
      .catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe("NOT_FOUND");
    expect(await authenticateApiKey(secret)).not.toBeNull();
  });

  describe("withApiKey", () => {
    const list = (key: string | null, headers?: Record<string, string>) =>
      call(listContactsRoute, { path: "/contacts", key, headers });

    async function expectError(res: Response, status: number, code: string) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message).toBeTruthy();
      expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
      return body;
    }

    it("answers 401 without a key, with a malformed or unknown key, and with a revoked key", async () => {
      const missing = await list(null);
      await expectError(missing, 401, "UNAUTHORIZED");
      expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);

      await expectError(await list(null, { authorization: "Basic abc" }), 401, "UNAUTHORIZED");
      await expectError(await list(`st_${"Z".repeat(40)}`), 401, "UNAUTHORIZED");

      const { key, secret } = await keyFor(ws.id);
      expect((await list(secret)).status).toBe(200);
      await as(admin).apiKeys.revoke({ id: key.id });
      const body = await expectError(await list(secret), 401, "UNAUTHORIZED");
      expect(body.error.message).toMatch(/revoked/i);
    });

    it("answers 429 to an address after 30 unknown keys, and still serves other addresses", async () => {
      const guesser = { "x-salestrack-client-ip": "198.51.100.77" };
      for (let i = 0; i < 30; i++) {
        const res = await list(`st_${String(i).padStart(40, "Q")}`, guesser);
        expect(res.status).toBe(401);
      }
      const refused = await list(`st_${"R".repeat(40)}`, guesser);
      const body = await expectError(refused, 429, "TOO_MANY_REQUESTS");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(body.error.message).toMatch(/unknown API key/);
      // Even its valid key waits: the limit is the address's, charged only by failures.
      const { secret } = await keyFor(ws.id, ["contacts:read"]);
      expect((await list(secret, guesser)).status).toBe(429);
      expect((await list(secret, { "x-salestrack-client-ip": "198.51.100.78" })).status).toBe(200);
    });

    it("answers 403 when the key lacks the scope", async () => {
      const { secret } = await keyFor(ws.id, ["imports:write"]);
      const body = await expectError(await list(secret), 403, "FORBIDDEN");
      expect(body.error.message).toContain("contacts:read");
    });

    it("accepts the key in X-Api-Key too, and echoes the caller's request id", async () => {
      const { secret } = await keyFor(ws.id, ["contacts:read"]);
      const res = await list(null, { "x-api-key": secret, "x-request-id": "req-123" });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-request-id")).toBe("req-123");
      expect(res.headers.get("cache-control")).toBe("no-store");
    });
  });
});
