import { z } from "zod";
import { errorKey } from "@/lib/error-ref";

/** What a token may be used for: one scope per agent route. */
export const AGENT_SCOPES = ["tasks:pull", "tasks:heartbeat", "tasks:result"] as const;
export type AgentScope = (typeof AGENT_SCOPES)[number];

/** Token lifetimes, in seconds: 15 minutes unless asked otherwise, an hour at most. */
export const TOKEN_TTL = { min: 60, default: 900, max: 3600 } as const;

const lifetime = errorKey("agent.tokenLifetime");

/**
 * The body of `POST /api/v1/agent/token` (all optional). Unknown fields are refused, so a
 * misspelt `scopes` cannot silently widen the token to every scope.
 */
export const agentTokenInput = z.strictObject({
  /** Default: every scope. Repeats are ignored. */
  scopes: z
    .array(z.enum(AGENT_SCOPES, { error: errorKey("agent.scopeUnknown") }))
    .min(1)
    .max(AGENT_SCOPES.length * 2)
    .optional(),
  expiresInSeconds: z
    .number()
    .int()
    .min(TOKEN_TTL.min, lifetime)
    .max(TOKEN_TTL.max, lifetime)
    .default(TOKEN_TTL.default),
});
export type AgentTokenInput = z.input<typeof agentTokenInput>;

export const agentTokenAnswer = z.object({
  /** A compact JWS (HS256); send it as `Authorization: Bearer <token>`. */
  token: z.string(),
  expiresAt: z.date(),
  scopes: z.array(z.enum(AGENT_SCOPES)),
});
