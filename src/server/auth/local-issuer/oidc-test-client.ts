import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";

import { expect } from "vitest";

/**
 * Test-only: a browser plus a confidential relying party, driven with plain fetch (manual
 * redirects, hand-rolled cookie jar) so the issuer is exercised exactly over HTTP.
 */
export type Tokens = { id_token: string; access_token: string; refresh_token: string };
export type Discovery = Record<string, string>;
export type RelyingParty = { clientId: string; clientSecret: string; redirectUri: string };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [header = "", payload = ""] = jwt.split(".");
  const parse = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return { header: parse(header), payload: parse(payload) };
}

export async function verifyWithJwks(jwt: string, jwksUri: string): Promise<boolean> {
  const { keys } = (await (await fetch(jwksUri)).json()) as { keys: JsonWebKey[] };
  const [head, body, signature = ""] = jwt.split(".");
  const jwk = keys.find((k) => k.kid === decodeJwt(jwt).header.kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return verify(
    "RSA-SHA256",
    Buffer.from(`${head}.${body}`),
    key,
    Buffer.from(signature, "base64url"),
  );
}

export function form(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

export function location(res: Response, base: string): string {
  const value = res.headers.get("location");
  expect(value, `status ${res.status} without Location`).toBeTruthy();
  return new URL(value!, base).href;
}

export class TestBrowser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  constructor(
    private discovery: Discovery,
    private rp: RelyingParty,
  ) {}

  /** fetch with this browser's cookies (name + path scoping; one host, so no domains). */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const { pathname } = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.replace(/\/?$/, "/")))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    if (cookie) headers.set("cookie", cookie);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((part) => part.trim());
      const [name = "", value = ""] = pair.split(/=(.*)/s);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) || "/";
      const expires = attrs.find((a) => /^expires=/i.test(a))?.slice(8);
      const expired = expires !== undefined && Date.parse(expires) < Date.now();
      if (!value || expired) this.cookies.delete(`${name}|${path}`);
      else this.cookies.set(`${name}|${path}`, { name, value, path });
    }
    return res;
  }

  /** Starts an authorization request (code + PKCE S256) and follows it to the login page. */
  async authorize() {
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(8).toString("hex");
    const url = new URL(this.discovery.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: this.rp.clientId,
      redirect_uri: this.rp.redirectUri,
      scope: "openid email profile",
      state,
      nonce: randomBytes(8).toString("hex"),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();
    const res = await this.request(url.href);
    expect(res.status).toBe(303);
    const loginUrl = location(res, url.href);
    const page = await this.request(loginUrl);
    return { verifier, state, loginUrl, status: page.status, html: await page.text() };
  }

  /** Signs in, follows the redirects back to the app and redeems the code (basic auth). */
  async signIn(username: string, password: string): Promise<Tokens> {
    const { verifier, state, loginUrl } = await this.authorize();
    let res = await this.request(loginUrl, form({ username, password }));
    let url = loginUrl;
    for (let hops = 0; hops < 5 && !url.startsWith(this.rp.redirectUri); hops++) {
      expect([302, 303]).toContain(res.status);
      url = location(res, url);
      if (!url.startsWith(this.rp.redirectUri)) res = await this.request(url);
    }
    const callback = new URL(url);
    expect(callback.searchParams.get("state")).toBe(state);
    const code = callback.searchParams.get("code");
    expect(code).toBeTruthy();
    const tokenRes = await this.token(
      {
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: this.rp.redirectUri,
        code_verifier: verifier,
      },
      "basic",
    );
    expect(tokenRes.status).toBe(200);
    return (await tokenRes.json()) as Tokens;
  }

  /** Calls the token endpoint authenticating with client_secret_basic or client_secret_post. */
  token(fields: Record<string, string>, auth: "basic" | "post"): Promise<Response> {
    const { clientId, clientSecret } = this.rp;
    if (auth === "post") {
      return fetch(
        this.discovery.token_endpoint!,
        form({ ...fields, client_id: clientId, client_secret: clientSecret }),
      );
    }
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    return fetch(this.discovery.token_endpoint!, form(fields, { authorization: `Basic ${basic}` }));
  }
}
