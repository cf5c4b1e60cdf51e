/**
 * Bots: senders a campaign sends through. Credentials are encrypted at rest and never
 * returned; a generated webhook signing secret is shown once (create, rotate).
 */
import { AppError } from "@/lib/errors";
import { decryptJson, encryptJson, generateSecret } from "@/lib/crypto";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { ChannelConfig, ChannelCredentials } from "@/modules/channels/channel.types";
import { parseChannelSettings } from "@/modules/channels/channel-config.schema";
import { withTenant, type Tx } from "@/server/db/tenant";
import { rotateAgentSecret, setUpAgent } from "./agents.service";
import {
  deleteBotRow,
  findBot,
  findBotByName,
  findBotsByIds,
  findBotsPage,
  insertBot,
  updateBotRow,
} from "./bots.queries";
import type { BotView, CreateBotInput, UpdateBotInput } from "./bots.schema";
import type { Bot, BotStatusValue } from "./bots.table";

type Actor = { tx: Tx; workspaceId: string; actorUserId: string | null; meta: RequestMeta | null };
export type SendCounts = Map<string, { sent: number; failed: number }>;

/** AES-GCM context of bot credentials: a token sealed for another purpose does not open as one. */
export const CREDENTIALS_CONTEXT = "bot.credentials";

export function toBotView(bot: Bot, counts?: { sent: number; failed: number }): BotView {
  return {
    id: bot.id,
    name: bot.name,
    kind: bot.kind,
    status: bot.status,
    statusReason: bot.statusReason,
    config: bot.config as Record<string, unknown>,
    hasCredentials: bot.credentials !== null,
    credentialsSet: storedCredentialNames(bot),
    concurrency: bot.concurrency,
    ratePerSecond: bot.ratePerSecond,
    ratePerMinute: bot.ratePerMinute,
    dailyCap: bot.dailyCap,
    dailyUniqueCap: bot.dailyUniqueCap,
    delayMinMs: bot.delayMinMs,
    delayMaxMs: bot.delayMaxMs,
    quietStart: bot.quietStart,
    quietEnd: bot.quietEnd,
    lastSeenAt: bot.lastSeenAt,
    createdAt: bot.createdAt,
    sentToday: counts?.sent ?? 0,
    failedToday: counts?.failed ?? 0,
  };
}

export async function listBots({
  tx,
  workspaceId,
  page,
  pageSize,
}: {
  tx: Tx;
  workspaceId: string;
  page: number;
  pageSize: number;
}) {
  return findBotsPage(tx, workspaceId, { page, pageSize });
}

/** Names of the bots among `ids` (dashboards label their rows with it), by id. */
export async function botNamesByIds({
  tx,
  workspaceId,
  ids,
}: {
  tx: Tx;
  workspaceId: string;
  ids: string[];
}) {
  const rows = await findBotsByIds(tx, workspaceId, [...new Set(ids)]);
  return new Map(rows.map((b) => [b.id, b.name]));
}

/** The bot's status, or null when the workspace has no such bot (deleted). */
export async function botStatusOf({
  tx,
  workspaceId,
  id,
}: {
  tx: Tx;
  workspaceId: string;
  id: string;
}) {
  return (await findBot(tx, workspaceId, id))?.status ?? null;
}

export async function getBot({ tx, workspaceId, id }: { tx: Tx; workspaceId: string; id: string }) {
  const bot = await findBot(tx, workspaceId, id);
  if (!bot) throw new AppError("NOT_FOUND", "bot.notFound");
  return bot;
}

/** Whether the workspace has this bot (a page's not-found check), in its own tenant transaction. */
export function botExists(workspaceId: string, id: string): Promise<boolean> {
  return withTenant({ workspaceId }, async (tx) => (await findBot(tx, workspaceId, id)) !== null);
}

async function assertNameFree(tx: Tx, workspaceId: string, name: string, exceptId?: string) {
  const clash = await findBotByName(tx, workspaceId, name);
  if (clash && clash.id !== exceptId) {
    throw new AppError("CONFLICT", "bot.nameTaken", { field: "name" });
  }
}

/** Validates settings for the kind; a webhook bot without a secret gets a generated one. */
function prepareSettings(
  kind: Bot["kind"],
  config: Record<string, unknown>,
  credentials: Record<string, string> | undefined,
  stored: ChannelCredentials | null,
): { config: ChannelConfig; credentials: ChannelCredentials; generated: string | null } {
  let generated: string | null = null;
  const merged: ChannelCredentials = { ...(stored ?? {}), ...(credentials ?? {}) };
  if (kind === "webhook" && !merged.signingSecret) {
    generated = generateSecret("whsec_");
    merged.signingSecret = generated;
  }
  const parsed = parseChannelSettings(kind, { config, credentials: merged });
  return { ...parsed, generated };
}

/** Encrypted, or null when the kind has no secrets (sandbox): nothing to protect. */
function sealCredentials(credentials: ChannelCredentials): string | null {
  return Object.keys(credentials).length ? encryptJson(credentials, CREDENTIALS_CONTEXT) : null;
}

/** Which credentials a bot holds, for "set / not set" in the form; unreadable ones count as none. */
function storedCredentialNames(bot: Bot): string[] {
  try {
    return Object.entries(readCredentials(bot) ?? {})
      .filter(([, value]) => typeof value === "string" && value !== "")
      .map(([name]) => name)
      .sort();
  } catch {
    return [];
  }
}

function readCredentials(bot: Bot): ChannelCredentials | null {
  return bot.credentials
    ? (decryptJson(bot.credentials, undefined, CREDENTIALS_CONTEXT) as ChannelCredentials)
    : null;
}

export async function createBot({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input,
}: Actor & { input: CreateBotInput }): Promise<{ bot: Bot; secret: string | null }> {
  await assertNameFree(tx, workspaceId, input.name);
  const { name, kind, config, credentials, ...limits } = input;
  const settings = prepareSettings(kind, config, credentials, null);
  const bot = await insertBot(tx, {
    workspaceId,
    name,
    kind,
    config: settings.config,
    credentials: sealCredentials(settings.credentials),
    ...limits,
  });
  // An agent's secret lives beside the bot (agents.service.ts): it rotates with an overlap.
  const agentSecret = kind === "agent" ? await setUpAgent(tx, workspaceId, bot.id) : null;
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.created",
    target: { type: "bot", id: bot.id },
    after: { name, kind, ...limits },
  });
  return { bot, secret: agentSecret ?? settings.generated };
}

export async function updateBot({
  tx,
  workspaceId,
  actorUserId,
  meta,
  input,
}: Actor & { input: UpdateBotInput }): Promise<Bot> {
  const before = await getBot({ tx, workspaceId, id: input.id });
  await assertNameFree(tx, workspaceId, input.name, before.id);
  const { id, name, config, credentials, ...limits } = input;
  const settings = prepareSettings(before.kind, config, credentials, readCredentials(before));
  const bot = await updateBotRow(tx, workspaceId, id, {
    name,
    config: settings.config,
    credentials: sealCredentials(settings.credentials),
    ...limits,
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.updated",
    target: { type: "bot", id },
    before: { name: before.name, config: before.config, concurrency: before.concurrency },
    after: { name, config: settings.config, ...limits, credentialsChanged: !!credentials },
  });
  return bot!;
}

/**
 * A new secret, shown once. Webhook bots: the old signing secret stops working at once.
 * Agent bots: the old secret keeps working for `overlapSeconds` (agents switch over).
 */
export async function rotateBotSecret({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  overlapSeconds = 0,
}: Actor & { id: string; overlapSeconds?: number }): Promise<{ bot: Bot; secret: string }> {
  const bot = await getBot({ tx, workspaceId, id });
  if (bot.kind === "agent") {
    const secret = await rotateAgentSecret({
      tx,
      workspaceId,
      actorUserId,
      meta,
      id,
      overlapSeconds,
    });
    return { bot, secret };
  }
  if (bot.kind !== "webhook") throw new AppError("BAD_REQUEST", "bot.noSigningSecret");
  const secret = generateSecret("whsec_");
  const credentials = { ...(readCredentials(bot) ?? {}), signingSecret: secret };
  const updated = await updateBotRow(tx, workspaceId, id, {
    credentials: sealCredentials(credentials),
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.secret_rotated",
    target: { type: "bot", id },
  });
  return { bot: updated!, secret };
}

export async function setBotStatus({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  status,
  reason = null,
}: Actor & { id: string; status: BotStatusValue; reason?: string | null }): Promise<Bot> {
  const before = await getBot({ tx, workspaceId, id });
  const bot = await updateBotRow(tx, workspaceId, id, { status, statusReason: reason });
  if (before.status !== status) {
    await recordAudit(tx, meta, {
      workspaceId,
      actorUserId,
      action: status === "active" ? "bot.resumed" : "bot.paused",
      target: { type: "bot", id },
      before: { status: before.status },
      after: { status, reason },
    });
  }
  return bot!;
}

export async function deleteBot({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
  inUse,
}: Actor & { id: string; inUse: boolean }): Promise<void> {
  const bot = await getBot({ tx, workspaceId, id });
  if (inUse) {
    throw new AppError("CONFLICT", "bot.inUse");
  }
  await deleteBotRow(tx, workspaceId, id);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "bot.deleted",
    target: { type: "bot", id },
    before: { name: bot.name, kind: bot.kind },
  });
}

/** The send path's view of its bots: settings with decrypted credentials. */
export type SenderBot = Bot & { secrets: ChannelCredentials };

export async function loadSenderBots(
  tx: Tx,
  workspaceId: string,
  ids: string[],
): Promise<SenderBot[]> {
  const rows = await findBotsByIds(tx, workspaceId, ids);
  return rows.map((b) => ({ ...b, secrets: readCredentials(b) ?? {} }));
}

export async function findBotsForCampaign(
  tx: Tx,
  workspaceId: string,
  ids: string[],
): Promise<Bot[]> {
  return findBotsByIds(tx, workspaceId, ids);
}
