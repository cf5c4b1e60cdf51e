/**
 * Agent bots in tests: create one through tRPC (its secret shown once), call the agent API
 * with HTTP Basic, and post Standard Webhooks–signed events — on the real fast lane.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { signEvent } from "@/modules/bots/agent-signature";
import { botTasks, logs, taskEvents } from "@/modules/tasks/tasks.table";
import { systemDb } from "@/server/db/client";
import { callerFor } from "../helpers/campaigns";
import type { Tenant } from "../helpers/import";

export type Agent = { botId: string; secret: string };

export async function createAgentBot(t: Tenant, overrides: Record<string, unknown> = {}) {
  const { bot, secret } = await callerFor(t).bots.create({
    name: `Agent ${randomUUID().slice(0, 6)}`,
    kind: "agent",
    config: {},
    ...overrides,
  } as never);
  return { botId: bot.id, secret: secret! };
}

export function agentAuth(agent: Agent): string {
  return `Basic ${Buffer.from(`${agent.botId}:${agent.secret}`).toString("base64")}`;
}

export async function agentCall(
  base: string,
  agent: Agent,
  path: string,
  body: unknown = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v1/agent${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: agentAuth(agent) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export type PulledTask = { id: string; action: string; attempt: number; notBefore: string };

export async function pull(base: string, agent: Agent, limit = 1, worker = "w1") {
  const res = await agentCall(base, agent, "/pull", { limit, worker });
  if (res.status !== 200)
    throw new Error(`pull answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.tasks as PulledTask[];
}

export function signedHeaders(
  secret: string,
  body: string,
  { id = `msg_${randomUUID()}`, timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signEvent(secret, id, timestamp, body),
  };
}

export async function postEvent(
  base: string,
  botId: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/webhooks/bots/${botId}`, {
    method: "POST",
    headers,
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export async function sendEvent(base: string, agent: Agent, event: unknown, id?: string) {
  const body = JSON.stringify(event);
  return postEvent(base, agent.botId, body, signedHeaders(agent.secret, body, { id }));
}

/** Rows read as the owner: row-level security cannot hide a leak from the test. */
export async function taskRow(workspaceId: string, id: string) {
  const [row] = await systemDb()
    .select()
    .from(botTasks)
    .where(and(eq(botTasks.workspaceId, workspaceId), eq(botTasks.id, id)));
  return row!;
}

export async function taskEventTypes(workspaceId: string, taskId: string) {
  const rows = await systemDb()
    .select({ type: taskEvents.type })
    .from(taskEvents)
    .where(and(eq(taskEvents.workspaceId, workspaceId), eq(taskEvents.taskId, taskId)))
    .orderBy(taskEvents.id);
  return rows.map((r) => r.type);
}

export async function logLines(workspaceId: string, botId: string) {
  return systemDb()
    .select()
    .from(logs)
    .where(and(eq(logs.workspaceId, workspaceId), eq(logs.botId, botId)))
    .orderBy(logs.id);
}

/** Pushes the task's lease (or its attempt's start) into the past, as if time had passed. */
export async function ageLease(
  workspaceId: string,
  id: string,
  { leaseMs = 0, attemptMs = 0 }: { leaseMs?: number; attemptMs?: number },
) {
  await systemDb()
    .update(botTasks)
    .set({
      leaseExpiresAt: new Date(Date.now() - leaseMs),
      ...(attemptMs ? { attemptStartedAt: new Date(Date.now() - attemptMs) } : {}),
    })
    .where(and(eq(botTasks.workspaceId, workspaceId), eq(botTasks.id, id)));
}
