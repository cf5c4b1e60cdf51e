/**
 * `agent` bots: their secret (shown once; rotated with an overlap during which both work),
 * their settings (IP allowlist, event window, lease length) and how a machine request proves
 * it speaks for one. The proof is checked on the fast lane for every pull, heartbeat, result
 * and event, so the lookup is cached per process for a moment (AGENT_CACHE_MS): a revoked
 * secret, a paused bot or a new allowlist takes effect within that.
 */
import { BlockList, isIP } from "node:net";
import { AppError } from "@/lib/errors";
import { decryptSecret, encryptSecret, generateSecret } from "@/lib/crypto";
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { uuidv7 } from "@/lib/uuid-v7";
import { recordAudit } from "@/modules/audit/audit.service";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { safeEqual } from "@/modules/channels/inbound/signatures";
import {
  findActiveSecretExpiries,
  deleteReceiptsBefore,
  expireAgentSecrets,
  findAgent,
  findEventReceipt,
  findAgentIdentity,
  insertAgent,
  insertAgentSecret,
  recordEventReceipt,
  recordEventReceipts,
  touchBotLastSeen,
  updateAgentRow,
} from "./agents.queries";
import type { AgentSettingsInput } from "./agents.schema";
import { findBot } from "./bots.queries";

/** AES-GCM context: a token sealed for another purpose does not open as an agent secret. */
const SECRET_CONTEXT = "bot.agent_secret";
export const AGENT_CACHE_MS = 2_000;
/** A bot is online when it was heard from this recently (heartbeat, pull, event). */
export const ONLINE_WINDOW_MS = 60_000;

type Actor = { tx: Tx; workspaceId: string; actorUserId: string | null; meta: RequestMeta | null };

async function issueSecret(tx: Tx, workspaceId: string, botId: string): Promise<string> {
  const secret = generateSecret("whsec_");
  await insertAgentSecret(tx, {
    workspaceId,
    id: uuidv7(),
    botId,
    secret: encryptSecret(secret, SECRET_CONTEXT),
  });
  return secret;
}

/** A new agent bot's settings and first secret (the caller shows it once). */
export async function setUpAgent(tx: Tx, workspaceId: string, botId: string): Promise<string> {
  await insertAgent(tx, { workspaceId, botId });
  return issueSecret(tx, workspaceId, botId);
}

/** A new secret, shown once; the previous ones keep working for `overlapSeconds`. */
export async function rotateAgentSecret({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  overlapSeconds,
}: Actor & { id: string; overlapSeconds: number }): Promise<string> {
  const bot = await findBot(tx, workspaceId, id);
  if (!bot) throw new AppError("NOT_FOUND", "bot.notFound");
  if (bot.kind !== "agent") throw new AppError("BAD_REQUEST", "agent.onlyAgents");
  const until = new Date(Date.now() + overlapSeconds * 1000);
  await expireAgentSecrets(tx, workspaceId, id, until);
  const secret = await issueSecret(tx, workspaceId, id);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.secret_rotated",
    target: { type: "bot", id },
    after: { overlapSeconds },
  });
  return secret;
}

export async function getAgentSettings({
  tx,
  workspaceId,
  id,
}: {
  tx: Tx;
  workspaceId: string;
  id: string;
}) {
  const agent = await findAgent(tx, workspaceId, id);
  if (!agent) throw new AppError("NOT_FOUND", "bot.notFound");
  return {
    ipAllowlist: agent.ipAllowlist,
    eventWindowSeconds: agent.eventWindowSeconds,
    leaseSeconds: agent.leaseSeconds,
    secrets: await findActiveSecretExpiries(tx, workspaceId, id),
  };
}

export async function updateAgentSettings({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input,
}: Actor & { input: AgentSettingsInput }) {
  const { id, ...patch } = input;
  const before = await findAgent(tx, workspaceId, id);
  if (!before) throw new AppError("NOT_FOUND", "bot.notFound");
  await updateAgentRow(tx, workspaceId, id, patch);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.agent_settings_updated",
    target: { type: "bot", id },
    before: {
      ipAllowlist: before.ipAllowlist,
      eventWindowSeconds: before.eventWindowSeconds,
      leaseSeconds: before.leaseSeconds,
    },
    after: patch,
  });
  return getAgentSettings({ tx, workspaceId, id });
}

/** What a machine request learns about the agent it speaks for. */
export type AgentIdentity = {
  botId: string;
  workspaceId: string;
  paused: boolean;
  eventWindowSeconds: number;
  leaseSeconds: number;
  secrets: string[];
  allows: (ip: string) => boolean;
};

type CacheEntry = { at: number; value: Promise<AgentIdentity | null> };
const holder = globalThis as { __salestrackAgentCache?: Map<string, CacheEntry> };
const cache = (holder.__salestrackAgentCache ??= new Map());
const MAX_CACHED = 10_000;

function allowlist(ranges: string[]): (ip: string) => boolean {
  if (ranges.length === 0) return () => true;
  const list = new BlockList();
  for (const range of ranges) {
    const [address, bits] = range.split("/") as [string, string | undefined];
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    const mapped = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(mapped);
    return family !== 0 && list.check(mapped, family === 6 ? "ipv6" : "ipv4");
  };
}

async function loadIdentity(botId: string): Promise<AgentIdentity | null> {
  const row = await findAgentIdentity(systemDb(), botId);
  if (!row || row.kind !== "agent") return null;
  const secrets = row.secrets.flatMap((token) => {
    try {
      return [decryptSecret(token, SECRET_CONTEXT)];
    } catch (err) {
      logger.warn({ botId, err: (err as Error).message }, "agent secret unreadable");
      return [];
    }
  });
  return {
    botId: row.botId,
    workspaceId: row.workspaceId,
    paused: row.status !== "active",
    eventWindowSeconds: row.eventWindowSeconds,
    leaseSeconds: row.leaseSeconds,
    secrets,
    allows: allowlist(row.ipAllowlist),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agent behind a bot id, from the per-process cache (concurrent misses share one query). */
export function agentIdentity(botId: string, now = Date.now()): Promise<AgentIdentity | null> {
  if (!UUID.test(botId)) return Promise.resolve(null);
  const hit = cache.get(botId);
  if (hit && now - hit.at < AGENT_CACHE_MS) return hit.value;
  const value = loadIdentity(botId);
  cache.delete(botId);
  cache.set(botId, { at: now, value });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  value.catch(() => cache.delete(botId));
  return value;
}

const refused = () => new AppError("UNAUTHORIZED", "agent.unauthorized");

/**
 * The agent a request speaks for: a known agent bot, an active secret (constant-time, every
 * secret compared), and an allowed address (403 otherwise). Unknown bot and wrong secret get
 * the same answer.
 */
export async function authenticateAgent({
  botId,
  secret,
  ip,
}: {
  botId: string;
  secret: string;
  ip: string;
}): Promise<AgentIdentity> {
  const agent = await agentIdentity(botId);
  let ok = false;
  for (const candidate of agent?.secrets ?? [""]) ok = safeEqual(secret, candidate) || ok;
  if (!agent || !ok || agent.secrets.length === 0) throw refused();
  assertAllowed(agent, ip);
  return agent;
}

export function assertAllowed(agent: AgentIdentity, ip: string): void {
  if (!agent.allows(ip)) {
    throw new AppError("FORBIDDEN", "agent.ipNotAllowed");
  }
}

export const markAgentSeen = touchBotLastSeen;

/** False when this `webhook-id` was already accepted from the bot (a replay). */
export const acceptEventId = recordEventReceipt;
/** The ids of the list accepted (`<botId>:<webhookId>`); replays are left out. */
export const acceptEventIds = recordEventReceipts;
export const eventIdSeen = findEventReceipt;

/**
 * Forgets `webhook-id`s older than the longest window (an hour) plus a margin: a replay of
 * one of those fails its timestamp check anyway.
 */
export function purgeEventReceipts(now = Date.now()): Promise<number> {
  return deleteReceiptsBefore(systemDb(), new Date(now - 2 * 3600_000));
}

export const isOnline = (lastSeenAt: Date | null, now = Date.now()) =>
  lastSeenAt !== null && now - lastSeenAt.getTime() < ONLINE_WINDOW_MS;
