/**
 * Signed events from agent bots (docs/agents.md): verified per Standard Webhooks against the
 * bot's active secrets and window, refused from addresses off its allowlist, applied once per
 * `webhook-id` (a replay is acknowledged without effect) and committed before the answer.
 */
import { AppError } from "@/lib/errors";
import {
  acceptEventId,
  agentIdentity,
  assertAllowed,
  eventIdSeen,
  markAgentSeen,
  type AgentIdentity,
} from "@/modules/bots/agents.service";
import { verifyEventSignature, type SignatureHeaders } from "@/modules/bots/agent-signature";
import { handleInboundMessages } from "@/modules/campaigns/status-updates.service";
import { withTenant, type Tx } from "@/server/db/tenant";
import { botEvent, type BotEvent } from "./bot-events.schema";
import { markStarted, recordProgress, settleAttempt } from "./lease.service";
import { writeLogEvent } from "./log-events-batch";
import { appendLogs } from "./logs.service";
import { notifyBotActivity } from "./tasks.queries";

export type EventReceipt = { type: BotEvent["type"]; duplicate: boolean };

async function authenticate(
  botId: string,
  headers: SignatureHeaders,
  rawBody: Buffer,
  ip: string,
): Promise<AgentIdentity> {
  const agent = await agentIdentity(botId);
  const verdict = verifyEventSignature({
    headers,
    rawBody,
    secrets: agent?.secrets ?? [],
    windowSeconds: agent?.eventWindowSeconds,
  });
  if (!agent || !verdict.ok) {
    if (verdict.ok === false && (verdict.reason === "expired" || verdict.reason === "future")) {
      throw new AppError("UNAUTHORIZED", "agent.timestampOutside", {
        params: { seconds: agent?.eventWindowSeconds ?? 300 },
      });
    }
    throw new AppError("UNAUTHORIZED", "webhook.signatureInvalid", {
      params: { header: "webhook-signature" },
    });
  }
  assertAllowed(agent, ip);
  return agent;
}

function parseEvent(rawBody: Buffer): BotEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "request.jsonInvalid");
  }
  return botEvent.parse(json);
}

/** Every event but `TASK_LOG`, which log-events-batch.ts writes in groups. */
async function apply(
  tx: Tx,
  agent: AgentIdentity,
  event: Exclude<BotEvent, { type: "TASK_LOG" }>,
): Promise<void> {
  const { workspaceId, botId } = agent;
  switch (event.type) {
    case "TASK_STARTED":
      return markStarted(tx, agent, event.data.taskId, event.data.attempt);
    case "TASK_PROGRESS": {
      const { taskId, attempt, ...detail } = event.data;
      return recordProgress(tx, agent, taskId, attempt, detail);
    }
    case "TASK_SUCCEEDED": {
      const { taskId, attempt, ...outcome } = event.data;
      await settleAttempt(tx, agent, taskId, attempt, { ok: true, ...outcome });
      return;
    }
    case "TASK_FAILED": {
      const { taskId, attempt, ...outcome } = event.data;
      await settleAttempt(tx, agent, taskId, attempt, { ok: false, ...outcome });
      return;
    }
    case "MESSAGE_RECEIVED":
      return appendLogs(tx, workspaceId, [
        { botId, level: "info", message: "message received", context: { from: event.data.from } },
      ]);
    case "HEARTBEAT":
      return;
  }
}

export async function receiveBotEvent({
  botId,
  headers,
  rawBody,
  ip,
}: {
  botId: string;
  headers: SignatureHeaders;
  rawBody: Buffer;
  ip: string;
}): Promise<EventReceipt> {
  const agent = await authenticate(botId, headers, rawBody, ip);
  const event = parseEvent(rawBody);
  const { workspaceId } = agent;
  if (event.type === "TASK_LOG") {
    // The hot event type: written in groups with the workspace's other log events in flight.
    const duplicate = await writeLogEvent(workspaceId, {
      botId,
      webhookId: headers.id!,
      line: {
        taskId: event.data.taskId ?? null,
        level: event.data.level,
        message: event.data.message,
        context: event.data.context ?? null,
      },
    });
    return { type: event.type, duplicate };
  }
  if (event.type === "MESSAGE_RECEIVED") {
    // Before the receipt is stored: an opt-out must not be lost to a failure after it.
    const seen = await withTenant({ workspaceId }, (tx) =>
      eventIdSeen(tx, workspaceId, botId, headers.id!),
    );
    if (seen) return { type: event.type, duplicate: true };
    await handleInboundMessages({ workspaceId, messages: [event.data] });
  }
  return withTenant({ workspaceId }, async (tx) => {
    const fresh = await acceptEventId(tx, workspaceId, botId, headers.id!);
    if (!fresh) return { type: event.type, duplicate: true };
    await markAgentSeen(tx, workspaceId, botId);
    await apply(tx, agent, event);
    await notifyBotActivity(tx, workspaceId);
    return { type: event.type, duplicate: false };
  });
}
