/**
 * A session cookie is only as good as its server row: the real route handlers (tRPC, a CSV
 * download, federated sign-out) resolve the cookie through next-auth exactly as in the app,
 * against the local issuer. The cookie is minted with next-auth's own `encode`, the way the
 * sign-in callback leaves it in the browser, so "copying" it is just reusing the string.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startLocalIssuer, type LocalIssuer } from "@/server/auth/local-issuer";
import {
  TestBrowser,
  type Discovery,
  type Tokens,
} from "@/server/auth/local-issuer/oidc-test-client";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { addMember, createUser, createWorkspace } from "../helpers/fixtures";

// next-auth's getServerSession reads the request through next/headers, which only exists
// inside Next's request scope. next-auth `require`s it (CommonJS, out of vitest's reach), so
// the require cache gets a stand-in serving the headers of the request being handled.
const current = { headers: new Headers() };
function requestCookies() {
  const list = (current.headers.get("cookie") ?? "")
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1) };
    });
  return { getAll: () => list, get: (name: string) => list.find((c) => c.name === name) };
}
const nodeRequire = createRequire(import.meta.url);
const nextHeadersPath = nodeRequire.resolve("next/headers");
nodeRequire.cache[nextHeadersPath] = {
  id: nextHeadersPath,
  filename: nextHeadersPath,
  loaded: true,
  exports: { headers: async () => current.headers, cookies: async () => requestCookies() },
} as unknown as NodeJS.Module;

const APP = "http://localhost:3000";
const SECRET = "sessions-test-secret-0123456789abcdef";
const RP = {
  clientId: "salestrack-sessions-it",
  clientSecret: "sessions-test-client-secret",
  redirectUri: `${APP}/api/auth/callback/keycloak`,
};

type Modules = {
  trpc: typeof import("@/app/api/trpc/[trpc]/route");
  logout: typeof import("@/app/api/auth/federated-logout/route");
  exportRoute: typeof import("@/app/api/contacts/export/route");
  jwt: typeof import("next-auth/jwt");
  store: typeof import("@/server/auth/token-store");
  liveness: typeof import("@/server/auth/session-liveness");
  session: typeof import("@/server/auth/session");
  client: typeof import("@/server/db/client");
  table: typeof import("@/server/auth/auth-session.table");
  members: typeof import("@/modules/workspaces/members.service");
  tenant: typeof import("@/server/db/tenant");
};

describe("session revocation", () => {
  let issuer: LocalIssuer;
  let dataDir: string;
  let discovery: Discovery;
  let m: Modules;
  let user: User;
  let ws: Workspace;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "sessions-"));
    issuer = await startLocalIssuer({
      port: 0,
      clientId: RP.clientId,
      clientSecret: RP.clientSecret,
      redirectUris: [RP.redirectUri],
      postLogoutRedirectUris: [`${APP}/signin?signedOut=1`],
      dataDir,
      logger: { info: () => undefined, warn: () => undefined },
    });
    discovery = (await (
      await fetch(`${issuer.issuer}/.well-known/openid-configuration`)
    ).json()) as Discovery;

    // src/env.ts reads process.env once, at import: configure, then load the modules fresh.
    Object.assign(process.env, {
      NEXTAUTH_URL: APP,
      NEXTAUTH_SECRET: SECRET,
      AUTH_KEYCLOAK_ISSUER: issuer.issuer,
      AUTH_KEYCLOAK_ID: RP.clientId,
      AUTH_KEYCLOAK_SECRET: RP.clientSecret,
    });
    vi.resetModules();
    m = {
      trpc: await import("@/app/api/trpc/[trpc]/route"),
      logout: await import("@/app/api/auth/federated-logout/route"),
      exportRoute: await import("@/app/api/contacts/export/route"),
      jwt: await import("next-auth/jwt"),
      store: await import("@/server/auth/token-store"),
      liveness: await import("@/server/auth/session-liveness"),
      session: await import("@/server/auth/session"),
      client: await import("@/server/db/client"),
      table: await import("@/server/auth/auth-session.table"),
      members: await import("@/modules/workspaces/members.service"),
      tenant: await import("@/server/db/tenant"),
    };
    ws = await createWorkspace();
    user = await createUser();
    await addMember(ws, user, "admin", "owner");
  });

  afterAll(async () => {
    await m?.client.closeDatabase();
    await issuer?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    current.headers = new Headers();
  });

  /** What the sign-in callback leaves in the browser: a JWT naming a fresh `auth_session` row. */
  async function signedInCookie(who: User = user, name = "next-auth.session-token") {
    const tokens: Tokens = await new TestBrowser(discovery, RP).signIn(
      "admin@salestrack.local",
      "admin-demo-1",
    );
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    const sid = await m.store.createAuthSession(who.id, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      expiresAt,
    });
    const value = await m.jwt.encode({
      secret: SECRET,
      token: {
        name: who.name,
        email: who.email,
        sub: who.sub,
        uid: who.id,
        sid,
        ate: expiresAt.getTime(),
        ati: Date.now(),
      },
    });
    return { sid, cookie: `${name}=${value}` };
  }

  /** Serves `req` with `handler` as Next would: next/headers sees this request. */
  async function serve<R extends Request>(
    handler: (req: R) => Promise<Response>,
    req: R,
  ): Promise<Response> {
    current.headers = new Headers(req.headers);
    return handler(req);
  }

  const myWorkspaces = (cookie: string) =>
    serve(m.trpc.GET, new Request(`${APP}/api/trpc/workspaces.mine`, { headers: { cookie } }));

  /** Status of the CSV download; the body is read to the end so its transaction ends. */
  async function exportContacts(cookie: string) {
    const res = await serve(
      m.exportRoute.GET,
      new Request(`${APP}/api/contacts/export`, {
        headers: { cookie, "x-workspace-id": ws.id },
      }),
    );
    await res.text();
    return res;
  }

  const signOut = (cookie: string) =>
    serve(
      m.logout.POST,
      new NextRequest(`${APP}/api/auth/federated-logout`, {
        method: "POST",
        headers: { cookie, origin: APP },
      }),
    );

  async function sessionRow(sid: string) {
    const [row] = await m.client
      .systemDb()
      .select()
      .from(m.table.authSessions)
      .where(eq(m.table.authSessions.id, sid));
    return row ?? null;
  }

  it("a copied session cookie stops working as soon as its session signs out", async () => {
    const { sid, cookie } = await signedInCookie();
    const before = await myWorkspaces(cookie);
    expect(before.status).toBe(200);
    expect(JSON.stringify(await before.json())).toContain(ws.id);
    expect((await exportContacts(cookie)).status).toBe(200);

    const out = await signOut(cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toContain(discovery.end_session_endpoint!);
    expect(await sessionRow(sid)).toBeNull();

    // The same cookie string, replayed right away: refused everywhere.
    const replay = await myWorkspaces(cookie);
    expect(replay.status).toBe(401);
    expect(JSON.stringify(await replay.json())).not.toContain(ws.id);
    expect((await exportContacts(cookie)).status).toBe(401);
    current.headers = new Headers({ cookie });
    expect(await m.session.getSession()).toBeNull();
  });

  it("sees a session revoked by another process within the check window", async () => {
    const { sid, cookie } = await signedInCookie();
    expect((await myWorkspaces(cookie)).status).toBe(200);

    // Another web process signed it out: the row is gone, this process's cache is not told.
    await m.client.systemDb().delete(m.table.authSessions).where(eq(m.table.authSessions.id, sid));
    const deleted = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - deleted < m.liveness.SESSION_CHECK_TTL_MS + 2000) {
      status = (await myWorkspaces(cookie)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - deleted).toBeLessThanOrEqual(m.liveness.SESSION_CHECK_TTL_MS + 500);
  });

  it("refuses a cookie whose session row never existed", async () => {
    const value = await m.jwt.encode({
      secret: SECRET,
      token: { sub: user.sub, uid: user.id, sid: "made-up", ate: Date.now() + 600_000 },
    });
    expect((await myWorkspaces(`next-auth.session-token=${value}`)).status).toBe(401);
  });

  it("ends access to a workspace at the removed member's next request, keeping the session", async () => {
    const team = await createWorkspace();
    const boss = await createUser();
    const member = await createUser();
    await addMember(team, boss, "admin", "owner");
    await addMember(team, member, "operator");
    const { sid, cookie } = await signedInCookie(member);
    const inTeam = () =>
      serve(
        m.trpc.GET,
        new Request(`${APP}/api/trpc/workspaces.current`, {
          headers: { cookie, "x-workspace-id": team.id },
        }),
      );
    expect((await inTeam()).status).toBe(200);

    await m.tenant.withTenant({ workspaceId: team.id, userId: boss.id }, (tx) =>
      m.members.removeMember({
        tx,
        workspaceId: team.id,
        actorUserId: boss.id,
        meta: { ip: null, userAgent: null, requestId: "t" },
        userId: member.id,
      }),
    );
    expect((await inTeam()).status).toBe(403);
    // Membership is checked per request; the sign-in itself stays valid elsewhere.
    expect(await sessionRow(sid)).not.toBeNull();
    expect((await myWorkspaces(cookie)).status).toBe(200);
  });

  it("clears a __Secure- session cookie with the Secure attribute, so browsers honour it", async () => {
    const { sid, cookie } = await signedInCookie(user, "__Secure-next-auth.session-token");
    const out = await signOut(`${cookie}; __Secure-next-auth.callback-url=x; other=keep`);
    expect(await sessionRow(sid)).toBeNull();
    const cleared = out.headers.getSetCookie();
    const secure = cleared.filter((c) => c.startsWith("__Secure-next-auth."));
    expect(secure).toHaveLength(2);
    for (const c of secure) {
      expect(c).toMatch(/;\s*Secure/i);
      expect(c).toMatch(/Max-Age=0/i);
      expect(c).toMatch(/Path=\//i);
    }
    expect(cleared.some((c) => c.startsWith("other="))).toBe(false);
  });
});
