import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type Provider from "oidc-provider";

import { accessClaims, profileClaims, SCOPE_CLAIMS, type RealmContext } from "./keycloak-claims";
import type { IssuerKeys } from "./keys";
import { findLocalUserBySub } from "./users";

type Claims = Record<string, unknown>;

function parsePart(part: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}

function verifyAccessToken(token: string, keys: Map<string, KeyObject>, issuer: string) {
  const [head = "", body = "", signature = ""] = token.split(".");
  const header = parsePart(head);
  const payload = parsePart(body);
  const key = typeof header?.kid === "string" ? keys.get(header.kid) : undefined;
  if (!payload || !key || header?.alg !== "RS256") return undefined;
  const data = Buffer.from(`${head}.${body}`);
  if (!verify("RSA-SHA256", data, key, Buffer.from(signature, "base64url"))) return undefined;
  const expired = typeof payload.exp !== "number" || payload.exp * 1000 <= Date.now();
  return payload.iss === issuer && !expired ? payload : undefined;
}

function pick(source: Claims, names: readonly string[]): Claims {
  return Object.fromEntries(names.filter((name) => name in source).map((n) => [n, source[n]]));
}

/**
 * oidc-provider's own userinfo endpoint refuses access tokens issued for a resource server,
 * and ours always are (they must be JWTs). Keycloak accepts them, so we answer that route
 * ourselves: verify the JWT, require the OP session to still exist (a logout ends it, as in
 * Keycloak), then return the claims of the token's scopes.
 */
export function createUserinfoHandler(
  provider: Provider,
  { issuer, keys, ...realm }: RealmContext & { issuer: string; keys: IssuerKeys },
) {
  const publicKeys = new Map(
    keys.jwks.keys.map((jwk) => [String(jwk.kid), createPublicKey({ key: jwk, format: "jwk" })]),
  );

  return async (req: IncomingMessage, res: ServerResponse) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const payload = token ? verifyAccessToken(token, publicKeys, issuer) : undefined;
    const user = typeof payload?.sub === "string" ? findLocalUserBySub(payload.sub) : undefined;
    const session =
      typeof payload?.sid === "string" ? await provider.Session.findByUid(payload.sid) : undefined;
    if (!payload || !user || !session) {
      res.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": 'Bearer error="invalid_token"',
      });
      res.end(
        JSON.stringify({ error: "invalid_token", error_description: "Token verification failed" }),
      );
      return;
    }
    const scopes = new Set(String(payload.scope ?? "").split(" "));
    const profile = profileClaims(user);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(
      JSON.stringify({
        sub: user.sub,
        ...(scopes.has("profile") ? pick(profile, SCOPE_CLAIMS.profile) : {}),
        ...(scopes.has("email") ? pick(profile, SCOPE_CLAIMS.email) : {}),
        ...accessClaims(user, realm),
      }),
    );
  };
}
