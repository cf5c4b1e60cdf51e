/**
 * How an agent request says who it is (docs/agents.md): `Authorization: Basic
 * base64(<botId>:<secret>)`, or `Authorization: Bearer <token>` with a token from
 * `POST /api/v1/agent/token` — and the `WWW-Authenticate` challenge a refusal carries
 * (RFC 9110 §11.6.1, RFC 6750 §3).
 */
import { AppError } from "@/lib/errors";

export type AgentCredentials =
  { scheme: "basic"; botId: string; secret: string } | { scheme: "bearer"; token: string };

const BASIC = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i;
/** RFC 6750 §2.1 `b64token`: a compact JWS fits; anything else is not even looked at. */
const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

/** The credentials in an Authorization header, or null when there are none usable. */
export function agentCredentials(authorization: string | undefined): AgentCredentials | null {
  const value = authorization ?? "";
  const bearer = BEARER.exec(value);
  if (bearer) return { scheme: "bearer", token: bearer[1]! };
  const basic = BASIC.exec(value);
  const decoded = basic ? Buffer.from(basic[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { scheme: "basic", botId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const REALM = 'realm="salestrack-agents"';
export const BASIC_CHALLENGE = `Basic ${REALM}, charset="UTF-8"`;

/** RFC 6750 error descriptions: quoted-string text without quotes or backslashes. */
const BEARER_ERRORS: Partial<Record<string, string>> = {
  "agent.tokenInvalid": "The token is malformed or not signed by this server",
  "agent.tokenExpired": "The token expired",
  "agent.tokenRevoked": "The token's secret was rotated or revoked, or its bot is gone",
};

/**
 * The `WWW-Authenticate` value for a refusal, or undefined when it needs none. A request that
 * sent a bearer token is answered in Bearer terms (`invalid_token` on 401,
 * `insufficient_scope` on a missing scope); otherwise the schemes the route accepts.
 */
export function agentChallenge(
  err: unknown,
  sent: AgentCredentials["scheme"] | null,
  accepts: { bearer: boolean },
): string | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (sent === "bearer" && accepts.bearer) {
    if (err.code === "UNAUTHORIZED") {
      const description = BEARER_ERRORS[err.key];
      return `Bearer ${REALM}, error="invalid_token"${description ? `, error_description="${description}"` : ""}`;
    }
    if (err.code === "FORBIDDEN" && err.key === "agent.scopeMissing") {
      return `Bearer ${REALM}, error="insufficient_scope", scope="${String(err.params?.scope)}"`;
    }
    return undefined;
  }
  if (err.code !== "UNAUTHORIZED") return undefined;
  return accepts.bearer ? `${BASIC_CHALLENGE}, Bearer ${REALM}` : BASIC_CHALLENGE;
}
