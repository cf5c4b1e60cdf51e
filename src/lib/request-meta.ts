import { randomUUID } from "node:crypto";

/** Who and where a request came from: carried into audit rows and logs. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

export function requestMetaFromHeaders(headers: Headers): RequestMeta {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || headers.get("x-real-ip") || null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: headers.get("x-request-id")?.slice(0, 64) || randomUUID(),
  };
}
