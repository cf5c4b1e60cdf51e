/**
 * The agent bots' routes in the OpenAPI document (served by the fast lane, not by Next route
 * handlers): the agent API under /api/v1/agent (HTTP Basic with the bot's id and secret, or a
 * bearer token from /agent/token) and signed bot events at /api/webhooks/bots/{botId}, with
 * how to sign them.
 */
import { z } from "zod";
import {
  AGENT_SCOPES,
  TOKEN_TTL,
  agentTokenAnswer,
  agentTokenInput,
} from "@/modules/bots/agent-tokens.schema";
import {
  botEvent,
  eventAnswer,
  heartbeatAnswer,
  heartbeatInput,
  pullAnswer,
  pullInput,
  resultAnswer,
  resultInput,
} from "@/modules/tasks/bot-events.schema";

type JsonSchema = Record<string, unknown>;

function json(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date")
        Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
  }) as unknown as JsonSchema;
  return rest;
}

export const AGENT_SIGNING = [
  "Every event is signed per [Standard Webhooks](https://www.standardwebhooks.com/) with the bot's secret (`whsec_…`, shown once when the bot is created or its secret rotated):",
  "",
  "1. `webhook-id`: a unique id per event (reuse it when retrying the same event: a repeated id is acknowledged with `duplicate: true` and changes nothing).",
  "2. `webhook-timestamp`: Unix seconds; refused (401) when more than the bot's window (default 300 s) in the past or the future.",
  "3. `webhook-signature`: `v1,` + base64(HMAC-SHA256(key, `<webhook-id>.<webhook-timestamp>.<raw body>`)), where `key` is the base64-decoded part of the secret after `whsec_`. Several space-separated signatures may be sent; one valid is enough.",
  "",
  "During a secret rotation both the new and the previous secret verify until the overlap ends. A bot with an IP allowlist refuses other addresses with 403. The SDKs in `sdk/typescript` and `sdk/python` sign exactly like this.",
].join("\n");

const id = {
  name: "id",
  in: "path",
  required: true,
  description: "The task's id (UUID).",
  schema: { type: "string", format: "uuid" },
};
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    [...statuses, 401, 403, 429, 500]
      .sort((a, b) => a - b)
      .map((s) => [s, { $ref: `#/components/responses/${RESPONSE_NAMES[s]}` }]),
  );
const RESPONSE_NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  429: "TooManyRequests",
  500: "InternalError",
};
const ok = (description: string, schema: z.ZodType) => ({
  description,
  content: { "application/json": { schema: json(schema, "output") } },
});
/**
 * `attempt` is optional to the parser only so that a call without it is refused with 409
 * (stop working on the task) rather than 400: the document lists it as required.
 */
function requireAttempt(schema: unknown): unknown {
  if (Array.isArray(schema)) schema.forEach(requireAttempt);
  else if (schema && typeof schema === "object") {
    const node = schema as { properties?: Record<string, unknown>; required?: string[] };
    if (node.properties?.attempt && !node.required?.includes("attempt")) {
      node.required = [...(node.required ?? []), "attempt"];
    }
    Object.values(node).forEach(requireAttempt);
  }
  return schema;
}
const body = (schema: z.ZodType, example: unknown) => ({
  required: true,
  content: {
    "application/json": { schema: requireAttempt(json(schema, "input")), example },
  },
});
/** Basic, or a token carrying the route's scope (OpenAPI 3.1: role names on an http scheme). */
const agentSecurity = (scope: (typeof AGENT_SCOPES)[number]) => [
  { agentBasic: [] },
  { agentBearer: [scope] },
];

export const AGENT_TOKENS = [
  "Instead of sending the secret with every call, an agent may exchange it for a short-lived token: `POST /api/v1/agent/token` with HTTP Basic returns `{ token, expiresAt, scopes }`; send `Authorization: Bearer <token>` to pull, heartbeat and result until it expires, then ask for another.",
  "",
  `- \`scopes\`: any of ${AGENT_SCOPES.map((s) => `\`${s}\``).join(", ")} (default all); a route called with a token without its scope answers 403 \`agent.scopeMissing\`.`,
  `- \`expiresInSeconds\`: ${TOKEN_TTL.min}–${TOKEN_TTL.max} (default ${TOKEN_TTL.default}).`,
  "- The token is a JWT (compact JWS, HS256) with `iss`, `sub` (the bot), `ws` (its workspace), `scope`, `iat`, `exp`, `jti` and `sv` (which of the bot's secrets it was issued with). Treat it as opaque.",
  '- It stops working when it expires (401 `agent.tokenExpired`), and within seconds when the secret it was issued with stops working — rotated with its overlap over, or revoked — or the bot is deleted (401 `agent.tokenRevoked`). A wrong signature, another algorithm or a malformed token: 401 `agent.tokenInvalid`. Refusals carry `WWW-Authenticate: Bearer … error="invalid_token"` (or `insufficient_scope`).',
  "- The bot's IP allowlist applies to the token as to the secret.",
].join("\n");

/** Path items keyed relative to `/api/v1` (the bot-events one overrides its server). */
export function agentPaths(): Record<string, Record<string, unknown>> {
  return {
    "/agent/token": {
      post: {
        operationId: "agentToken",
        tags: ["Agents"],
        summary: "Exchange the bot's secret for a short-lived token",
        description: `A token for the calling bot (HTTP Basic only: a token cannot buy another), limited to the asked scopes and lifetime.\n\n${AGENT_TOKENS}`,
        security: [{ agentBasic: [] }],
        requestBody: {
          ...body(agentTokenInput, {
            scopes: ["tasks:pull", "tasks:heartbeat"],
            expiresInSeconds: 900,
          }),
          required: false,
        },
        responses: { 200: ok("The token and when it expires.", agentTokenAnswer), ...errors(400) },
      },
    },
    "/agent/pull": {
      post: {
        operationId: "agentPull",
        tags: ["Agents"],
        summary: "Lease due tasks",
        description:
          "Leases up to `limit` due tasks of the calling bot, highest priority first, then oldest; never more than the bot's concurrency in flight, and nothing while the bot is paused or inside its quiet hours. Each lease lasts the bot's lease length (default 60 s) unless extended by a heartbeat; a lapsed lease is requeued (the attempt counts).",
        security: agentSecurity("tasks:pull"),
        requestBody: body(pullInput, { limit: 5, worker: "phone-1" }),
        responses: { 200: ok("The leased tasks (possibly none).", pullAnswer), ...errors(400) },
      },
    },
    "/agent/tasks/{id}/heartbeat": {
      post: {
        operationId: "agentHeartbeat",
        tags: ["Agents"],
        summary: "Extend a task's lease",
        description:
          "Extends the lease of the task's attempt `attempt` (the one from the pull). 409 once that attempt ended — the task was requeued (and maybe leased again, to another worker), cancelled, timed out or settled — or without `attempt` (`task.attemptEnded`, `task.attemptMissing`, `task.leaseLost`): stop working on it.",
        security: agentSecurity("tasks:heartbeat"),
        parameters: [id],
        requestBody: body(heartbeatInput, { attempt: 1 }),
        responses: { 200: ok("The new lease expiry.", heartbeatAnswer), ...errors(404, 409) },
      },
    },
    "/agent/tasks/{id}/result": {
      post: {
        operationId: "agentResult",
        tags: ["Agents"],
        summary: "Settle a task's attempt",
        description:
          "Ends the attempt `attempt` (the one from the pull), which must be the task's current one: `ok: true` succeeds; `ok: false` is retried after an exponential backoff with jitter while attempts remain (unless `retryable: false`), else the task fails. Idempotent: a task that already ended on this attempt is returned with `changed: false`. 409 when `attempt` is missing or already ended (`task.attemptMissing`, `task.attemptEnded`: the task was requeued and leased again; the result changes nothing), or the task was requeued (`task.leaseLost`).",
        security: agentSecurity("tasks:result"),
        parameters: [id],
        requestBody: body(resultInput, { ok: true, attempt: 1, providerMessageId: "wamid.HBgL…" }),
        responses: {
          200: ok("The task's state after the result.", resultAnswer),
          ...errors(400, 404, 409),
        },
      },
    },
    "/webhooks/bots/{botId}": {
      servers: [{ url: "/api", description: "Bot events live outside /api/v1." }],
      post: {
        operationId: "botEvent",
        tags: ["Bot events"],
        summary: "Send a signed bot event",
        description: `Task lifecycle, log lines, replies (a STOP-like reply opts the sender out) and heartbeats (the bot shows online). The event is stored before the answer. \`TASK_STARTED\`, \`TASK_PROGRESS\`, \`TASK_SUCCEEDED\` and \`TASK_FAILED\` carry the task's \`attempt\` (from the pull): for an attempt that ended, or without it, they answer 409 and change nothing.\n\n${AGENT_SIGNING}`,
        security: [],
        parameters: [
          {
            name: "botId",
            in: "path",
            required: true,
            description: "The agent bot's id (UUID).",
            schema: { type: "string", format: "uuid" },
          },
          ...["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({
            name,
            in: "header",
            required: true,
            schema: { type: "string" },
          })),
        ],
        requestBody: body(botEvent, {
          type: "TASK_LOG",
          data: { taskId: "01963a7e-…", level: "info", message: "Opened the chat" },
        }),
        responses: {
          200: ok("Stored (or a replay, acknowledged).", eventAnswer),
          ...errors(400, 404, 409, 413),
        },
      },
    },
  };
}

export const AGENT_TAGS = [
  {
    name: "Agents",
    description:
      "For `agent` bots (a browser extension, a phone, a script) pulling work. Authenticate with HTTP Basic (the bot's id as user, its secret as password) or with a bearer token from `POST /agent/token`.",
  },
  { name: "Bot events", description: `Signed events from agent bots.\n\n${AGENT_SIGNING}` },
];

export const AGENT_SECURITY_SCHEME = {
  type: "http",
  scheme: "basic",
  description: "An agent bot: its id as the user name, its secret (`whsec_…`) as the password.",
};

export const AGENT_BEARER_SCHEME = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: `An agent token from \`POST /api/v1/agent/token\`: short-lived, limited to its scopes (named in each operation's security requirement).\n\n${AGENT_TOKENS}`,
};
