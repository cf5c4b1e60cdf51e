/**
 * Compact JWS (RFC 7515) with HMAC-SHA256 only — what agent tokens are (a JWT, RFC 7519, is
 * its payload). Written on node:crypto rather than taken from a library so the rules are few
 * and visible:
 *
 * - the header's `alg` must be exactly `HS256`: `none`, `hs256`, `HS512`, RS*, anything else
 *   is refused before any key is touched (RFC 8725 §3.1, §2.1);
 * - a `crit` header is refused (we understand no extension, RFC 7515 §4.1.11);
 * - every part is canonical unpadded base64url, so one token has one spelling;
 * - the MAC is compared with `timingSafeEqual`, and the payload is parsed only after it
 *   matched.
 *
 * Claims (expiry, issuer, audience…) are the caller's to check: this file only answers "was
 * this exact text signed with this key?".
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const JWS_ALG = "HS256";
/** Longer than any token SalesTrack issues by far; refuses giant headers before decoding. */
export const JWS_MAX_LENGTH = 4096;
const MAC_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type JwsHeader = { alg: typeof JWS_ALG; typ?: string; kid?: string };
export type JwsClaims = Record<string, unknown>;

export type JwsFailure = "malformed" | "algorithm" | "key" | "signature";

/** Why a token was refused; never says which part of the MAC differed. */
export class JwsError extends Error {
  constructor(readonly reason: JwsFailure) {
    super(`JWS refused: ${reason}`);
    this.name = "JwsError";
  }
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

function mac(key: Buffer, signingInput: string): Buffer {
  return createHmac("sha256", key).update(signingInput, "ascii").digest();
}

/** Decodes one part; only the canonical spelling of its bytes is accepted. */
function decodePart(part: string): Buffer {
  if (!BASE64URL.test(part)) throw new JwsError("malformed");
  const bytes = Buffer.from(part, "base64url");
  if (bytes.toString("base64url") !== part) throw new JwsError("malformed");
  return bytes;
}

function jsonObject(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodePart(part).toString("utf8"));
  } catch (err) {
    if (err instanceof JwsError) throw err;
    throw new JwsError("malformed");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new JwsError("malformed");
  }
  return value as Record<string, unknown>;
}

/** `<header>.<claims>.<mac>`, the header `{ alg: "HS256", typ: "JWT", kid? }`. */
export function signJws(claims: JwsClaims, key: Buffer, kid?: string): string {
  const header: JwsHeader = { alg: JWS_ALG, typ: "JWT", ...(kid !== undefined && { kid }) };
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${mac(key, signingInput).toString("base64url")}`;
}

/**
 * The header and claims of a token signed with the key `keyFor(kid)` names, or a `JwsError`.
 * `keyFor` returning undefined (an unknown or retired `kid`) refuses the token.
 */
export function verifyJws(
  token: string,
  keyFor: (kid: string | undefined) => Buffer | undefined,
): { header: JwsHeader; claims: JwsClaims } {
  if (token.length > JWS_MAX_LENGTH) throw new JwsError("malformed");
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwsError("malformed");
  const [headerPart, claimsPart, macPart] = parts as [string, string, string];

  const header = jsonObject(headerPart);
  if (header.alg !== JWS_ALG) throw new JwsError("algorithm");
  if ("crit" in header) throw new JwsError("malformed");
  if (header.typ !== undefined && (typeof header.typ !== "string" || !/^jwt$/i.test(header.typ)))
    throw new JwsError("malformed");
  if (header.kid !== undefined && typeof header.kid !== "string") throw new JwsError("malformed");

  const key = keyFor(header.kid as string | undefined);
  if (!key) throw new JwsError("key");
  const presented = decodePart(macPart);
  const expected = mac(key, `${headerPart}.${claimsPart}`);
  if (presented.length !== MAC_BYTES || !timingSafeEqual(presented, expected)) {
    throw new JwsError("signature");
  }
  return { header: header as JwsHeader, claims: jsonObject(claimsPart) };
}
