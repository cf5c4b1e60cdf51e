/**
 * Machine traffic of `agent` bots on the fast lane (docs/agents.md): the agent API
 * (`/api/v1/agent/...`, HTTP Basic with the bot's id and secret) and signed bot events
 * (`/api/webhooks/bots/{botId}`, Standard Webhooks). Handlers only translate HTTP: checks and
 * writes live in modules/bots (who is calling) and modules/tasks (what it changes).
 */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { authenticateAgent, type AgentIdentity } from "@/modules/bots/agents.service";
import { pullInput, resultInput } from "@/modules/tasks/bot-events.schema";
import { receiveBotEvent } from "@/modules/tasks/bot-events.service";
import { heartbeatTask, pullTasks, reportResult } from "@/modules/tasks/lease.service";
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

/** `Authorization: Basic base64(<botId>:<secret>)` → the agent, or 401/403. */
async function agentOf(req: IncomingMessage): Promise<AgentIdentity> {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header(req, "authorization") ?? "");
  const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new AppError("UNAUTHORIZED", "agent.credentialsMissing");
  return authenticateAgent({
    botId: decoded.slice(0, colon),
    secret: decoded.slice(colon + 1),
    ip: ipOf(req),
  });
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

/** 401 answers say how to authenticate (RFC 9110). */
function withChallenge(handler: FastLaneRoute["handler"]): FastLaneRoute["handler"] {
  return async (ctx) => {
    try {
      await handler(ctx);
    } catch (err) {
      const challenge =
        err instanceof AppError && err.code === "UNAUTHORIZED"
          ? { "www-authenticate": 'Basic realm="salestrack-agents", charset="UTF-8"' }
          : undefined;
      writeErrorResponse(ctx.res, err, ctx.requestId, challenge);
    }
  };
}

export function agentRoutes(): FastLaneRoute[] {
  return [
    {
      method: "POST",
      path: "/api/v1/agent/pull",
      rateLimit: "agents",
      handler: withChallenge(async ({ req, res }) => {
        const agent = await agentOf(req);
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
        const agent = await agentOf(req);
        const lease = await heartbeatTask({ agent, id: taskIdOf(params) });
        sendJson(res, 200, lease);
      }),
    },
    {
      method: "POST",
      path: "/api/v1/agent/tasks/:id/result",
      rateLimit: "agents",
      handler: withChallenge(async ({ req, res, params }) => {
        const agent = await agentOf(req);
        const outcome = await jsonBody(req, resultInput);
        const { task, changed } = await reportResult({ agent, id: taskIdOf(params), outcome });
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
