/**
 * Standard Webhooks signing, exactly as SalesTrack verifies bot events: HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64 secret after `whsec_`,
 * sent as `webhook-signature: v1,<base64>`.
 */
import { createHmac, randomUUID } from "node:crypto";

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The three headers of one signed request (a fresh id unless one is given, for retries). */
export function signedHeaders(
  secret: string,
  body: string,
  { id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": sign(secret, id, timestamp, body),
  };
}
