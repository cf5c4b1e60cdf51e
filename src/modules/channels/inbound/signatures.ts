/**
 * The checks that decide whether a provider's request is genuine. Every comparison of a
 * presented secret runs in constant time, so response timing tells an attacker nothing about
 * how much of a guess was right.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Constant-time string equality. Both sides are hashed first: `timingSafeEqual` needs equal
 * lengths, and comparing lengths directly would leak the secret's length.
 */
export function safeEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

const HUB_SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The digest in `X-Hub-Signature-256: sha256=<hex>`, or null when absent or malformed. */
export function parseHubSignature(header: string | undefined): Buffer | null {
  const match = header ? HUB_SIGNATURE.exec(header.trim()) : null;
  return match ? Buffer.from(match[1]!, "hex") : null;
}

/**
 * True when `digest` is HMAC-SHA256 of the exact bytes received, keyed with `appSecret`.
 * The raw body is what Meta signed; a re-serialised parse of it would not match.
 */
export function hubSignatureMatches(rawBody: Buffer, digest: Buffer, appSecret: string): boolean {
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}

/** `Authorization: Basic base64(user:pass)` → its parts, or null. */
export function parseBasicAuth(
  header: string | undefined,
): { username: string; password: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
