/**
 * Standard Webhooks (standardwebhooks.com) as SalesTrack verifies bot events: the signed
 * content is `<webhook-id>.<webhook-timestamp>.<raw body>`, HMAC-SHA256 keyed with the
 * base64-decoded secret after its `whsec_` prefix; `webhook-signature` holds one or more
 * space-separated `v1,<base64>` signatures, any of which may match any active secret.
 * Written here rather than taken from the `standardwebhooks` package because the window is
 * per bot and several secrets are active during a rotation; the tests check both agree.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const DEFAULT_EVENT_WINDOW_SECONDS = 300;

export type SignatureHeaders = {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
};

export type SignatureVerdict =
  | { ok: true; webhookId: string; timestamp: number }
  | { ok: false; reason: "missing_headers" | "bad_timestamp" | "expired" | "future" | "mismatch" };

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/** The `v1,<base64>` signature of one message (what an SDK sends). */
export function signEvent(
  secret: string,
  webhookId: string,
  timestamp: number,
  body: string | Buffer,
): string {
  const mac = createHmac("sha256", keyOf(secret))
    .update(`${webhookId}.${timestamp}.`)
    .update(body)
    .digest("base64");
  return `v1,${mac}`;
}

function presentedSignatures(header: string): Buffer[] {
  return header
    .split(" ")
    .map((part) => part.trim())
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"))
    .filter((mac) => mac.length === 32);
}

/**
 * Checks the headers and raw body against every active secret. Every presented signature is
 * compared with every expected one in constant time (no early exit), so timing says nothing
 * about which secret or signature came close.
 */
export function verifyEventSignature({
  headers,
  rawBody,
  secrets,
  windowSeconds = DEFAULT_EVENT_WINDOW_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
}: {
  headers: SignatureHeaders;
  rawBody: Buffer;
  secrets: readonly string[];
  windowSeconds?: number;
  nowSeconds?: number;
}): SignatureVerdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || id.length > 256) {
    return { ok: false, reason: "missing_headers" };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };
  const ts = Number(timestamp);
  if (ts < nowSeconds - windowSeconds) return { ok: false, reason: "expired" };
  if (ts > nowSeconds + windowSeconds) return { ok: false, reason: "future" };
  const presented = presentedSignatures(signature);
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", keyOf(secret))
      .update(`${id}.${timestamp}.`)
      .update(rawBody)
      .digest();
    for (const mac of presented) matched = timingSafeEqual(mac, expected) || matched;
  }
  return matched ? { ok: true, webhookId: id, timestamp: ts } : { ok: false, reason: "mismatch" };
}
