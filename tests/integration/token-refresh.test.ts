/**
 * Provider tokens parked in `auth_session`, refreshed against a real OIDC issuer (the local
 * Keycloak stand-in, which rotates refresh tokens like Keycloak does).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalIssuer, type LocalIssuer } from "@/server/auth/local-issuer";
import {
  decodeJwt,
  TestBrowser,
  type Discovery,
  type Tokens,
} from "@/server/auth/local-issuer/oidc-test-client";
import { createUser } from "../helpers/fixtures";

const RP = {
  clientId: "salestrack-it",
  clientSecret: "token-refresh-test-secret",
  redirectUri: "http://localhost:3000/api/auth/callback/keycloak",
};
/**
 * Longer than REFRESH_MARGIN_MS (60 s): with a TTL at or under the margin, every freshly
 * refreshed token already counts as "about to expire" and each waiting request refreshes again.
 */
const ACCESS_TOKEN_TTL_S = 300;

type TokenStore = typeof import("@/server/auth/token-store");
type Client = typeof import("@/server/db/client");
type SessionTable = typeof import("@/server/auth/auth-session.table");
type Crypto = typeof import("@/lib/crypto");

describe("auth session token store", () => {
  let issuer: LocalIssuer;
  let dataDir: string;
  let discovery: Discovery;
  let store: TokenStore;
  let client: Client;
  let table: SessionTable;
  let crypto: Crypto;
  let userId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "token-refresh-"));
    issuer = await startLocalIssuer({
      port: 0,
      clientId: RP.clientId,
      clientSecret: RP.clientSecret,
      redirectUris: [RP.redirectUri],
      postLogoutRedirectUris: ["http://localhost:3000/"],
      dataDir,
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S,
      logger: { info: () => undefined, warn: () => undefined },
    });
    discovery = (await (
      await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery;

    // src/env.ts reads process.env once, at import: configure, then load the modules fresh.
    process.env.AUTH_KEYCLOAK_ISSUER = issuer.issuer;
    process.env.AUTH_KEYCLOAK_ID = RP.clientId;
    process.env.AUTH_KEYCLOAK_SECRET = RP.clientSecret;
    vi.resetModules();
    store = await import("@/server/auth/token-store");
    client = await import("@/server/db/client");
    table = await import("@/server/auth/auth-session.table");
    crypto = await import("@/lib/crypto");

    userId = (await createUser()).id;
  });

  afterAll(async () => {
    await client?.closeDatabase();
    await issuer?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A fresh browser each time: one with an issuer session would skip the login form. */
  const signIn = (): Promise<Tokens> =>
    new TestBrowser(discovery, RP).signIn("admin@salestrack.local", "admin-demo-1");

  /** The stored row with its tokens opened (they are sealed at rest: db-roles.test.ts). */
  async function sessionRow(id: string) {
    const [row] = await client
      .systemDb()
      .select()
      .from(table.authSessions)
      .where(eq(table.authSessions.id, id));
    if (!row) return null;
    const open = (column: string, value: string | null) =>
      value === null ? null : crypto.decryptSecret(value, `auth_session:${id}:${column}`);
    return {
      ...row,
      accessToken: open("accessToken", row.accessToken)!,
      refreshToken: open("refreshToken", row.refreshToken),
      idToken: open("idToken", row.idToken),
    };
  }

  it("keeps a token that is not close to expiry without calling the issuer", async () => {
    const tokens = await signIn();
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    const sid = await store.createAuthSession(userId, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      expiresAt,
    });
    expect(await store.ensureFreshTokens(sid)).toEqual(expiresAt);
    expect(await sessionRow(sid)).toMatchObject({
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
    });
  });

  it("refreshes an expired session once for five concurrent requests", async () => {
    const tokens = await signIn();
    const sid = await store.createAuthSession(userId, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      expiresAt: new Date(Date.now() - 1000),
    });

    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const before = Date.now();
    let requested: string[] = [];
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.ensureFreshTokens(sid)),
    ).finally(() => {
      requested = fetchSpy.mock.calls.map(([url]) => String(url));
      fetchSpy.mockRestore();
    });
    const tokenCalls = requested.filter((url) => url === discovery.token_endpoint);
    expect(tokenCalls).toHaveLength(1);
    for (const r of results) expect(r).toBeInstanceOf(Date);
    const times = new Set(results.map((r) => r!.getTime()));
    // One refresh: everyone got the expiry it produced.
    expect(times.size).toBe(1);
    const [expiry] = [...times];
    expect(expiry!).toBeGreaterThan(before + (ACCESS_TOKEN_TTL_S - 5) * 1000);

    // The refresh token rotated once; a second refresh with the spent token would have been
    // rejected by the issuer and would have deleted the session.
    const row = await sessionRow(sid);
    expect(row).not.toBeNull();
    expect(row!.refreshToken).toBeTruthy();
    expect(row!.refreshToken).not.toBe(tokens.refresh_token);
    expect(row!.accessToken).not.toBe(tokens.access_token);
    expect(row!.accessTokenExpiresAt.getTime()).toBe(expiry);
    expect(decodeJwt(row!.accessToken).payload.email).toBe("admin@salestrack.local");

    // The stored (rotated) refresh token is the live one: the issuer still accepts it.
    const check = await new TestBrowser(discovery, RP).token(
      { grant_type: "refresh_token", refresh_token: row!.refreshToken! },
      "basic",
    );
    expect(check.status).toBe(200);
  });

  it("ends the session when the refresh token is rejected", async () => {
    const tokens = await signIn();
    const sid = await store.createAuthSession(userId, {
      accessToken: tokens.access_token,
      refreshToken: "not-a-real-refresh-token",
      idToken: tokens.id_token,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await store.ensureFreshTokens(sid)).toBeNull();
    expect(await sessionRow(sid)).toBeNull();
  });

  it("ends the session when there is no refresh token to use", async () => {
    const tokens = await signIn();
    const sid = await store.createAuthSession(userId, {
      accessToken: tokens.access_token,
      refreshToken: null,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await store.ensureFreshTokens(sid)).toBeNull();
  });

  it("answers null for an unknown session", async () => {
    expect(await store.ensureFreshTokens("no-such-session")).toBeNull();
  });

  it("endAuthSession returns the ID token and removes the row", async () => {
    const tokens = await signIn();
    const sid = await store.createAuthSession(userId, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await store.endAuthSession(sid)).toEqual({ idToken: tokens.id_token, userId });
    expect(await sessionRow(sid)).toBeNull();
    expect(await store.endAuthSession(sid)).toBeNull();
  });
});
