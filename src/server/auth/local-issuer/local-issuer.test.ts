import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCAL_USERS, startLocalIssuer, type LocalIssuer } from "./index";
import {
  decodeJwt,
  form,
  location,
  TestBrowser,
  verifyWithJwks,
  type Discovery,
  type Tokens,
} from "./oidc-test-client";

const RP = {
  clientId: "salestrack",
  clientSecret: "local-test-secret",
  redirectUri: "http://localhost:3000/api/auth/callback/keycloak",
};
const POST_LOGOUT_URI = "http://localhost:3000/";
const INVALID_LOGIN = "Usuario o contraseña incorrectos / Invalid username or password";
const ADMIN_SUB = LOCAL_USERS.find((u) => u.preferredUsername === "admin")!.sub;

describe("local OIDC issuer", () => {
  let issuer: LocalIssuer;
  let dataDir: string;
  let discovery: Discovery;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "local-issuer-"));
    issuer = await startLocalIssuer({
      port: 0, // a free port, picked by the OS
      clientId: RP.clientId,
      clientSecret: RP.clientSecret,
      redirectUris: [RP.redirectUri],
      postLogoutRedirectUris: [POST_LOGOUT_URI],
      dataDir,
      logger: { info: () => {}, warn: () => {} },
    });
    const res = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    discovery = (await res.json()) as Discovery;
  });

  afterAll(async () => {
    await issuer?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("advertises a Keycloak-shaped discovery document and persists its keys", () => {
    const { port } = new URL(issuer.issuer);
    expect(issuer.issuer).toBe(`http://localhost:${port}/realms/salestrack`);
    expect(discovery.issuer).toBe(issuer.issuer);
    expect(discovery.end_session_endpoint).toBe(`${issuer.issuer}/protocol/openid-connect/logout`);
    expect(discovery.token_endpoint).toBe(`${issuer.issuer}/protocol/openid-connect/token`);
    expect(existsSync(path.join(dataDir, "local-issuer-keys.json"))).toBe(true);
  });

  it("signs with the same persisted key after a restart", async () => {
    const kids = async (jwksUri: string) =>
      ((await (await fetch(jwksUri)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const restarted = await startLocalIssuer({
      port: 0,
      clientId: RP.clientId,
      clientSecret: RP.clientSecret,
      redirectUris: [RP.redirectUri],
      postLogoutRedirectUris: [POST_LOGOUT_URI],
      dataDir,
      logger: { info: () => {}, warn: () => {} },
    });
    try {
      const again = await kids(`${restarted.issuer}/protocol/openid-connect/certs`);
      expect(again).toEqual(await kids(discovery.jwks_uri!));
    } finally {
      await restarted.close();
    }
  });

  it("runs code + PKCE, refresh and RP-initiated logout end to end", async () => {
    const browser = new TestBrowser(discovery, RP);
    const login = await browser.authorize();
    expect(login.status).toBe(200);
    expect(login.html).toContain('name="username"');
    expect(login.html).toContain('<label for="password">');

    // Wrong password: the form again, 200, with an alert and the (escaped) username kept.
    const attempt = form({ username: "<b>admin@salestrack.local", password: "nope" });
    const wrong = await browser.request(login.loginUrl, attempt);
    expect(wrong.status).toBe(200);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('role="alert"');
    expect(wrongHtml).toContain(INVALID_LOGIN);
    expect(wrongHtml).toContain("&lt;b&gt;admin@salestrack.local");

    const tokens = await browser.signIn("admin@salestrack.local", "admin-demo-1");
    expect(tokens.refresh_token).toBeTruthy();
    const access = decodeJwt(tokens.access_token);
    expect(access.header.alg).toBe("RS256");
    expect(await verifyWithJwks(tokens.access_token, discovery.jwks_uri!)).toBe(true);
    expect(access.payload).toMatchObject({
      iss: issuer.issuer,
      sub: ADMIN_SUB,
      preferred_username: "admin",
      email: "admin@salestrack.local",
      groups: ["/workspaces/demo"],
      resource_access: { [RP.clientId]: { roles: ["admin"] } },
    });
    expect(access.payload.realm_access.roles).toEqual([
      "default-roles-salestrack",
      "offline_access",
    ]);
    const id = decodeJwt(tokens.id_token).payload;
    expect(id).toMatchObject({ aud: RP.clientId, name: "Ana Admin", email_verified: true });
    expect(id.groups).toEqual(["/workspaces/demo"]);
    expect(id.resource_access[RP.clientId].roles).toEqual(["admin"]);

    // Like Keycloak, userinfo accepts the JWT access token.
    const bearer = { headers: { authorization: `Bearer ${tokens.access_token}` } };
    const userinfo = await fetch(discovery.userinfo_endpoint!, bearer);
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: ADMIN_SUB,
      email: "admin@salestrack.local",
    });

    // client_secret_post works too, and the refresh token rotates.
    const refreshed = await browser.token(
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
      "post",
    );
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Tokens;
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(decodeJwt(next.access_token).payload.resource_access[RP.clientId].roles).toEqual([
      "admin",
    ]);
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);

    // RP-initiated logout: the page submits itself; we do what its script does.
    const logoutUrl = new URL(discovery.end_session_endpoint!);
    logoutUrl.search = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "bye",
    }).toString();
    const confirm = await browser.request(logoutUrl.href);
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toMatch(/<script>[^<]*logout-yes[^<]*click\(\)/);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirmHtml)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmHtml)?.[1];
    expect(action && xsrf).toBeTruthy();
    const confirmUrl = new URL(action!, logoutUrl).href;
    const done = await browser.request(confirmUrl, form({ xsrf: xsrf!, logout: "yes" }));
    expect([302, 303]).toContain(done.status);
    expect(location(done, confirmUrl)).toBe(`${POST_LOGOUT_URI}?state=bye`);

    // The OP session is gone: the next authorization request shows the login form again,
    // and the refresh token and userinfo access died with the session (as in Keycloak).
    const again = await browser.authorize();
    expect(again.status).toBe(200);
    expect(again.html).toContain('name="password"');
    const stale = await browser.token(
      { grant_type: "refresh_token", refresh_token: next.refresh_token },
      "basic",
    );
    expect(stale.status).toBe(400);
    expect((await fetch(discovery.userinfo_endpoint!, bearer)).status).toBe(401);
  });

  it("puts the operator's role in the realm and the viewer's in the client", async () => {
    const operatorTokens = await new TestBrowser(discovery, RP).signIn(
      "operator",
      "operator-demo-1",
    );
    const operator = decodeJwt(operatorTokens.access_token).payload;
    expect(operator.realm_access.roles).toContain("operator");
    expect(operator.resource_access[RP.clientId]).toBeUndefined();

    const viewerTokens = await new TestBrowser(discovery, RP).signIn(
      "viewer@salestrack.local",
      "viewer-demo-1",
    );
    const viewer = decodeJwt(viewerTokens.access_token).payload;
    expect(viewer.realm_access.roles).not.toContain("viewer");
    expect(viewer.resource_access[RP.clientId].roles).toEqual(["viewer"]);
  });
});
