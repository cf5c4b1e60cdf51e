import { randomUUID } from "node:crypto";

/** Who and where a request came from: carried into audit rows and logs. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

/**
 * The client address as the HTTP server worked it out from the socket and `TRUSTED_PROXIES`
 * (src/server/http/client-ip.ts). The server overwrites whatever a client sends under this
 * name, so it is the only address header worth reading here: `X-Forwarded-For` and
 * `X-Real-IP` are whatever the client chose unless a trusted proxy wrote them.
 */
export const CLIENT_IP_HEADER = "x-salestrack-client-ip";

export function requestMetaFromHeaders(headers: Headers): RequestMeta {
  return {
    ip: headers.get(CLIENT_IP_HEADER) || null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: headers.get("x-request-id")?.slice(0, 64) || randomUUID(),
  };
}
