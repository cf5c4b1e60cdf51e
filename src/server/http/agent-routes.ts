/**
 * Machine traffic of `agent` bots on the fast lane (docs/agents.md): the agent API
 * (`/api/v1/agent/...`, HTTP Basic with the bot's id and secret, or a bearer token from
 * `/api/v1/agent/token`) and signed bot events (`/api/webhooks/bots/{botId}`, Standard
 * Webhooks). Handlers only translate HTTP: checks and writes live in modules/bots (who is
 * calling) and modules/tasks (what it changes).
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { authenticateAgentToken, issueTokenForAgent } from "@/modules/bots/agent-token.service";
import { agentTokenInput, type AgentScope } from "@/modules/bots/agent-tokens.schema";
import { authenticateAgent, type AgentIdentity } from "@/modules/bots/agents.service";
import { heartbeatInput, pullInput, resultInput } from "@/modules/tasks/bot-events.schema";
import { receiveBotEvent } from "@/modules/tasks/bot-events.service";
import { heartbeatTask, pullTasks, reportResult } from "@/modules/tasks/lease.service";
import { agentChallenge, agentCredentials } from "./agent-credentials";
import { readRawBody } from "./body";
import { clientAddress } from "./client-ip";
import type { FastLaneRoute } from "./fast-lane";
import { sendJson } from "./respond";
import { writeErrorResponse } from "./route-errors";

export const AGENT_BODY_LIMIT = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const ipOf = (req: IncomingMessage) =>
  clientAddress(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"]);

const credentialsMissing = () => new AppError("UNAUTHORIZED", "agent.credentialsMissing");

/** Basic id + secret, or a bearer token carrying `scope` → the agent, or 401/403. */
async function agentOf(req: IncomingMessage, scope: AgentScope): Promise<AgentIdentity> {
  const credentials = agentCredentials(header(req, "authorization"));
  if (!credentials) throw credentialsMissing();
  if (credentials.scheme === "bearer") {
    return authenticateAgentToken({ token: credentials.token, ip: ipOf(req), scope });
  }
  return authenticateAgent({ botId: credentials.botId, secret: credentials.secret, ip: ipOf(req) });
}

async function jsonBody<T extends z.ZodType>(
  req: IncomingMessage,
  schema: T,
): Promise<z.output<T>> {
  const raw = await readRawBody(req, { maxBytes: AGENT_BODY_LIMIT });
  let json: unknown = {};
  if (raw.length > 0) {
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new AppError("BAD_REQUEST", "request.jsonInvalid");
    }
  }
  return schema.parse(json);
}

function taskIdOf(params: Record<string, string>): string {
  const id = params.id ?? "";
  if (!UUID.test(id)) throw new AppError("NOT_FOUND", "task.notFound");
  return id;
}

/** 401 answers say how to authenticate (RFC 9110), Bearer ones what was wrong (RFC 6750). */
function withChallenge(
  handler: FastLaneRoute["handler"],
  accepts = { bearer: true },
): FastLaneRoute["handler"] {
  return async (ctx) => {
    try {
      await handler(ctx);
    } catch (err) {
      const sent = agentCredentials(header(ctx.req, "authorization"))?.scheme ?? null;
      const challenge = agentChallenge(err, sent, accepts);
      writeErrorResponse(
        ctx.res,
        err,
        ctx.requestId,
        challenge ? { "www-authenticate": challenge } : undefined,
      );
    }
  };
}

export function agentRoutes(): FastLaneRoute[] {
  return [
    {
      method: "POST",
      path: "/api/v1/agent/token",
      rateLimit: "agents",
      // Only the secret buys a token: a token cannot renew itself past its secret.
      handler: withChallenge(
        async ({ req, res }) => {
          const credentials = agentCredentials(header(req, "authorization"));
          if (credentials?.scheme !== "basic") throw credentialsMissing();
          const { botId, secret } = credentials;
          const agent = await authenticateAgent({ botId, secret, ip: ipOf(req) });
          const input = await jsonBody(req, agentTokenInput);
          const issued = issueTokenForAgent({
            agent,
            secret,
            scopes: input.scopes,
            ttlSeconds: input.expiresInSeconds,
          });
          sendJson(res, 200, issued);
        },
        { bearer: false },
      ),
    },
    {
      method: "POST",
      path: "/api/v1/agent/pull",
      rateLimit: "agents",
      handler: withChallenge(async ({ req, res }) => {
        const agent = await agentOf(req, "tasks:pull");
        const input = await jsonBody(req, pullInput);
        const { tasks, retryAfterSeconds } = await pullTasks({ agent, ...input });
        sendJson(
          res,
          200,
          { tasks, retryAfterSeconds },
          retryAfterSeconds ? { "retry-after": String(retryAfterSeconds) } : {},
        );
      }),
    },
    {
      method: "POST",
      path: "/api/v1/agent/tasks/:id/heartbeat",
      rateLimit: "agents",
      handler: withChallenge(async ({ req, res, params }) => {
        const agent = await agentOf(req, "tasks:heartbeat");
        const { attempt } = await jsonBody(req, heartbeatInput);
        const lease = await heartbeatTask({ agent, id: taskIdOf(params), attempt });
        sendJson(res, 200, lease);
      }),
    },
    {
      method: "POST",
      path: "/api/v1/agent/tasks/:id/result",
      rateLimit: "agents",
      handler: withChallenge(async ({ req, res, params }) => {
        const agent = await agentOf(req, "tasks:result");
        const { attempt, ...outcome } = await jsonBody(req, resultInput);
        const id = taskIdOf(params);
        const { task, changed } = await reportResult({ agent, id, attempt, outcome });
        sendJson(res, 200, { id: task.id, status: task.status, attempts: task.attempts, changed });
      }),
    },
    {
      method: "POST",
      path: "/api/webhooks/bots/:botId",
      rateLimit: "agents",
      handler: async ({ req, res, params, requestId }) => {
        const rawBody = await readRawBody(req, { maxBytes: AGENT_BODY_LIMIT });
        const receipt = await receiveBotEvent({
          botId: params.botId!,
          headers: {
            id: header(req, "webhook-id"),
            timestamp: header(req, "webhook-timestamp"),
            signature: header(req, "webhook-signature"),
          },
          rawBody,
          ip: ipOf(req),
        });
        logger.debug({ requestId, botId: params.botId, ...receipt }, "bot event applied");
        sendJson(res, 200, { received: true, duplicate: receipt.duplicate });
      },
    },
  ];
}
