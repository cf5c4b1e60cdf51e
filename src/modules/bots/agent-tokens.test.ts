import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createAgentTokenKeyRing, deriveAgentTokenKey } from "./agent-token-keys";
import {
  CLOCK_SKEW_SECONDS,
  issueAgentToken,
  normalizeScopes,
  readAgentToken,
  secretVersion,
} from "./agent-tokens";
import { AGENT_SCOPES, TOKEN_TTL, agentTokenInput } from "./agent-tokens.schema";
import { signJws } from "./jws-hs256";

const BASE = Buffer.alloc(32, 1);
const PREVIOUS = Buffer.alloc(32, 2);
const keys = createAgentTokenKeyRing([BASE]);
const BOT = "0196a1b2-0000-7000-8000-000000000001";
const WS = "0196a1b2-0000-7000-8000-0000000000aa";
const SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

const issue = (extra: Partial<Parameters<typeof issueAgentToken>[0]> = {}) =>
  issueAgentToken({ botId: BOT, workspaceId: WS, secret: SECRET, now: NOW, keys, ...extra });

function refusal(token: string, now = NOW, ring = keys): string {
  try {
    readAgentToken(token, { now, keys: ring });
  } catch (err) {
    if (err instanceof AppError) return `${err.code} ${err.key}`;
    throw err;
  }
  return "accepted";
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("agent token keys", () => {
  it("are HKDF-SHA256 of the base key under their own labels, never the base key itself", () => {
    // RFC 5869 by hand: extract with the salt, expand one block with the label.
    const hkdf = (info: string) => {
      const prk = createHmac("sha256", "salestrack/agent-token").update(BASE).digest();
      return createHmac("sha256", prk)
        .update(Buffer.concat([Buffer.from(info), Buffer.from([1])]))
        .digest();
    };
    const key = deriveAgentTokenKey(BASE);
    expect(key.signing).toEqual(hkdf("salestrack agent-token hs256 v1"));
    expect(key.secretVersion).toEqual(hkdf("salestrack agent-token secret-version v1"));
    expect(key.signing).not.toEqual(BASE);
    expect(key.signing).not.toEqual(key.secretVersion);
    expect(deriveAgentTokenKey(PREVIOUS).kid).not.toBe(key.kid);
    expect(deriveAgentTokenKey(Buffer.from(BASE)).kid).toBe(key.kid);
  });
});

describe("agent tokens", () => {
  it("carry the bot, its workspace, the scopes, the lifetime and the secret's version", () => {
    const { token, expiresAt, scopes } = issue({ scopes: ["tasks:result", "tasks:pull"] });
    expect(scopes).toEqual(["tasks:pull", "tasks:result"]);
    expect(expiresAt.getTime()).toBe(NOW + TOKEN_TTL.default * 1000);
    const claims = claimsOf(token);
    expect(claims).toEqual({
      iss: "salestrack",
      sub: BOT,
      ws: WS,
      scope: "tasks:pull tasks:result",
      iat: NOW / 1000,
      exp: NOW / 1000 + TOKEN_TTL.default,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sv: secretVersion(keys.current, BOT, SECRET),
    });
    expect(JSON.stringify(claims)).not.toContain(SECRET.slice(6, 20));
    const read = readAgentToken(token, { now: NOW, keys });
    expect(read).toMatchObject({ botId: BOT, workspaceId: WS, secretVersion: claims.sv });
    expect([...read.scopes]).toEqual(["tasks:pull", "tasks:result"]);
    expect(claimsOf(issue().token).jti).not.toBe(claims.jti);
  });

  it("default to every scope; repeats collapse", () => {
    expect(issue().scopes).toEqual([...AGENT_SCOPES]);
    expect(normalizeScopes(["tasks:result", "tasks:result"])).toEqual(["tasks:result"]);
  });

  it("fingerprint each secret differently, and per bot", () => {
    const v = secretVersion(keys.current, BOT, SECRET);
    expect(secretVersion(keys.current, BOT, `${SECRET}x`)).not.toBe(v);
    expect(secretVersion(keys.current, WS, SECRET)).not.toBe(v);
    expect(secretVersion(deriveAgentTokenKey(PREVIOUS), BOT, SECRET)).not.toBe(v);
  });

  it("expire at exp, with a small clock skew", () => {
    const { token } = issue({ ttlSeconds: 60 });
    const end = NOW + 60_000;
    expect(refusal(token, end - 1)).toBe("accepted");
    expect(refusal(token, end + CLOCK_SKEW_SECONDS * 1000 - 1)).toBe("accepted");
    expect(refusal(token, end + CLOCK_SKEW_SECONDS * 1000)).toBe("UNAUTHORIZED agent.tokenExpired");
    expect(refusal(token, NOW + 3600_000)).toBe("UNAUTHORIZED agent.tokenExpired");
  });

  it("are refused before they were issued (beyond the skew)", () => {
    const { token } = issue();
    expect(refusal(token, NOW - CLOCK_SKEW_SECONDS * 1000)).toBe("accepted");
    expect(refusal(token, NOW - CLOCK_SKEW_SECONDS * 1000 - 1000)).toBe(
      "UNAUTHORIZED agent.tokenInvalid",
    );
  });

  it("verify under the previous key during a key rotation, and not under an unknown one", () => {
    const old = createAgentTokenKeyRing([PREVIOUS]);
    const { token } = issue({ keys: old });
    expect(refusal(token, NOW, keys)).toBe("UNAUTHORIZED agent.tokenInvalid");
    const rotated = createAgentTokenKeyRing([BASE, PREVIOUS]);
    expect(refusal(token, NOW, rotated)).toBe("accepted");
    expect(readAgentToken(token, { now: NOW, keys: rotated }).key.kid).toBe(old.current.kid);
    // New tokens are signed with the current key (the header names it).
    expect(issue({ keys: rotated }).token.split(".")[0]).toBe(issue().token.split(".")[0]);
  });

  it("refuse claims this server would never sign, even under its key", () => {
    const good = claimsOf(issue().token);
    const signed = (patch: Record<string, unknown>) =>
      signJws({ ...good, ...patch }, keys.current.signing, keys.current.kid);
    expect(refusal(signed({}))).toBe("accepted");
    const bad: Record<string, unknown>[] = [
      { iss: "someone-else" },
      { iss: undefined },
      { sub: "not-a-uuid" },
      { ws: 42 },
      { scope: "tasks:pull admin" },
      { scope: "" },
      { scope: ["tasks:pull"] },
      { exp: (good.iat as number) + TOKEN_TTL.max + 1 },
      { exp: good.iat },
      { exp: "never" },
      { iat: 1.5 },
      { jti: "" },
      { sv: undefined },
    ];
    for (const patch of bad) {
      expect(refusal(signed(patch)), JSON.stringify(patch)).toBe("UNAUTHORIZED agent.tokenInvalid");
    }
    expect(refusal(signJws(good, keys.current.signing, "another-kid"))).toBe(
      "UNAUTHORIZED agent.tokenInvalid",
    );
    expect(refusal(signJws(good, BASE, keys.current.kid))).toBe("UNAUTHORIZED agent.tokenInvalid");
  });

  it("turn every JWS refusal into agent.tokenInvalid", () => {
    const { token } = issue();
    const [, c, s] = token.split(".");
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(refusal(`${none}.${c}.`)).toBe("UNAUTHORIZED agent.tokenInvalid");
    expect(refusal(`${none}.${c}.${s}`)).toBe("UNAUTHORIZED agent.tokenInvalid");
    expect(refusal("garbage")).toBe("UNAUTHORIZED agent.tokenInvalid");
  });
});

describe("the token request body", () => {
  const keyOf = (body: unknown) => {
    const parsed = agentTokenInput.safeParse(body);
    return parsed.success ? "ok" : parsed.error.issues.map((i) => i.message).join(",");
  };

  it("defaults to every scope for 15 minutes", () => {
    expect(agentTokenInput.parse({})).toEqual({ expiresInSeconds: 900 });
  });

  it("bounds the lifetime and the scope names, and refuses unknown fields", () => {
    expect(keyOf({ expiresInSeconds: 3600 })).toBe("ok");
    expect(keyOf({ expiresInSeconds: 3601 })).toBe("agent.tokenLifetime");
    expect(keyOf({ expiresInSeconds: 59 })).toBe("agent.tokenLifetime");
    expect(keyOf({ scopes: ["tasks:pull", "tasks:admin"] })).toBe("agent.scopeUnknown");
    expect(keyOf({ scopes: [] })).not.toBe("ok");
    expect(keyOf({ scope: ["tasks:pull"] })).not.toBe("ok");
  });
});
