/**
 * Agent tokens: short-lived JWTs (a compact HS256 JWS) an agent bot exchanges its id and
 * secret for, limited to some of the agent API's scopes. Claims:
 *
 * | claim   | value                                                                   |
 * | ------- | ----------------------------------------------------------------------- |
 * | `iss`   | `salestrack`                                                            |
 * | `sub`   | the bot's id                                                            |
 * | `ws`    | its workspace's id                                                      |
 * | `scope` | space-separated subset of `tasks:pull tasks:heartbeat tasks:result`     |
 * | `iat`   | issued at (Unix seconds)                                                |
 * | `exp`   | expires at (Unix seconds; 60 s to 1 h after `iat`)                      |
 * | `jti`   | a random id                                                             |
 * | `sv`    | the version of the bot secret it was issued with: a keyed fingerprint   |
 *
 * `sv` is what ties a token to the secret behind it: when that secret stops being active
 * (rotated and its overlap over, or revoked), no active secret has that fingerprint and the
 * token is refused — within the same identity cache window as HTTP Basic. This file reads and
 * writes tokens only; agent-token.service.ts checks them against the bot.
 */
import { createHmac, randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { agentTokenKeys, type AgentTokenKey, type AgentTokenKeyRing } from "./agent-token-keys";
import { AGENT_SCOPES, TOKEN_TTL, type AgentScope } from "./agent-tokens.schema";
import { JwsError, signJws, verifyJws } from "./jws-hs256";

export const TOKEN_ISSUER = "salestrack";
/** How far clocks of two processes may disagree: an `exp` this recently passed still counts. */
export const CLOCK_SKEW_SECONDS = 10;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AgentTokenClaims = {
  iss: string;
  sub: string;
  ws: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  sv: string;
};

/** A token whose signature and claims hold; whether its bot and secret still do is next. */
export type ReadAgentToken = {
  botId: string;
  workspaceId: string;
  scopes: ReadonlySet<AgentScope>;
  secretVersion: string;
  /** The key that signed it: secret versions are fingerprinted with the same one. */
  key: AgentTokenKey;
  expiresAt: Date;
};

/** The fingerprint of one of a bot's secrets under one key (never the secret itself). */
export function secretVersion(key: AgentTokenKey, botId: string, secret: string): string {
  return createHmac("sha256", key.secretVersion)
    .update(`${botId}\0${secret}`, "utf8")
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** The scopes asked for, in their canonical order, each once; all of them by default. */
export function normalizeScopes(scopes: readonly AgentScope[] | undefined): AgentScope[] {
  if (!scopes) return [...AGENT_SCOPES];
  return AGENT_SCOPES.filter((s) => scopes.includes(s));
}

export function issueAgentToken({
  botId,
  workspaceId,
  secret,
  scopes,
  ttlSeconds = TOKEN_TTL.default,
  now = Date.now(),
  keys = agentTokenKeys(),
}: {
  botId: string;
  workspaceId: string;
  /** The secret the bot authenticated with (already checked). */
  secret: string;
  scopes?: readonly AgentScope[];
  ttlSeconds?: number;
  now?: number;
  keys?: AgentTokenKeyRing;
}): { token: string; expiresAt: Date; scopes: AgentScope[] } {
  const granted = normalizeScopes(scopes);
  const iat = Math.floor(now / 1000);
  const claims: AgentTokenClaims = {
    iss: TOKEN_ISSUER,
    sub: botId,
    ws: workspaceId,
    scope: granted.join(" "),
    iat,
    exp: iat + ttlSeconds,
    jti: randomUUID(),
    sv: secretVersion(keys.current, botId, secret),
  };
  return {
    token: signJws(claims, keys.current.signing, keys.current.kid),
    expiresAt: new Date(claims.exp * 1000),
    scopes: granted,
  };
}

const invalid = () => new AppError("UNAUTHORIZED", "agent.tokenInvalid");
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function scopesOf(scope: unknown): Set<AgentScope> {
  if (typeof scope !== "string") throw invalid();
  const names = scope.split(" ");
  if (!names.every((n): n is AgentScope => (AGENT_SCOPES as readonly string[]).includes(n)))
    throw invalid();
  return new Set(names);
}

/**
 * The claims of a token this server signed and that has not expired, or a 401
 * (`agent.tokenInvalid`, `agent.tokenExpired`). Checks the signature (HS256 only, constant
 * time), then `iss`, `sub`, `ws`, `scope`, `iat`/`exp` (with CLOCK_SKEW_SECONDS either way,
 * and no longer than the longest lifetime), `jti` and `sv`.
 */
export function readAgentToken(
  token: string,
  { now = Date.now(), keys = agentTokenKeys() }: { now?: number; keys?: AgentTokenKeyRing } = {},
): ReadAgentToken {
  let verified: ReturnType<typeof verifyJws>;
  let key: AgentTokenKey | undefined;
  try {
    verified = verifyJws(token, (kid) => {
      key = keys.byKid(kid);
      return key?.signing;
    });
  } catch (err) {
    if (err instanceof JwsError) throw invalid();
    throw err;
  }
  const c = verified.claims;
  if (c.iss !== TOKEN_ISSUER) throw invalid();
  if (!isText(c.sub) || !UUID.test(c.sub) || !isText(c.ws) || !UUID.test(c.ws)) throw invalid();
  if (!isInt(c.iat) || !isInt(c.exp) || !isText(c.jti) || !isText(c.sv)) throw invalid();
  if (c.exp <= c.iat || c.exp - c.iat > TOKEN_TTL.max) throw invalid();
  const scopes = scopesOf(c.scope);
  const nowSeconds = now / 1000;
  if (c.iat > nowSeconds + CLOCK_SKEW_SECONDS) throw invalid();
  if (nowSeconds >= c.exp + CLOCK_SKEW_SECONDS) {
    throw new AppError("UNAUTHORIZED", "agent.tokenExpired");
  }
  return {
    botId: c.sub,
    workspaceId: c.ws,
    scopes,
    secretVersion: c.sv,
    key: key!,
    expiresAt: new Date(c.exp * 1000),
  };
}
