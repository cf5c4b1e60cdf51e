/**
 * Finds the bot a provider webhook is for, before any workspace is known: by WhatsApp phone
 * number id or by bot id, across workspaces (owner connection, lookups only). Returns the
 * bot's workspace and the inbound secrets from its decrypted credentials; callers verify the
 * request with them and then write through the owning module's services in that workspace.
 */
import { decryptJson } from "@/lib/crypto";
import { logger } from "@/lib/logger";
import type { ChannelCredentials } from "@/modules/channels/channel.types";
import { systemDb } from "@/server/db/client";
import { CREDENTIALS_CONTEXT } from "./bots.service";
import {
  findBotAnyWorkspace,
  findBotsWithCredentials,
  findWhatsappBotsByPhoneNumberId,
  type RoutingRow,
} from "./bots-routing.queries";

export type WhatsappInboundBot = {
  botId: string;
  workspaceId: string;
  /** Null: the bot has no app secret, so nothing can be verified for it. */
  appSecret: string | null;
};

export type InfobipInboundBot = {
  botId: string;
  workspaceId: string;
  /** Null unless all three are configured (the settings schema allows all or none). */
  webhook: { token: string; username: string; password: string } | null;
};

function secretsOf(row: RoutingRow): ChannelCredentials {
  if (!row.credentials) return {};
  try {
    const value = decryptJson(row.credentials, undefined, CREDENTIALS_CONTEXT);
    return typeof value === "object" && value !== null ? (value as ChannelCredentials) : {};
  } catch (err) {
    // A bot whose credentials cannot be opened (key removed from the keyring) cannot verify
    // anything; the others still can.
    logger.warn({ botId: row.id, err: (err as Error).message }, "bot credentials unreadable");
    return {};
  }
}

const text = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** WhatsApp Cloud bots configured with this phone number id, in any workspace. */
export async function findWhatsappInboundBots(
  phoneNumberId: string,
): Promise<WhatsappInboundBot[]> {
  const rows = await findWhatsappBotsByPhoneNumberId(systemDb(), phoneNumberId);
  return rows.map((row) => ({
    botId: row.id,
    workspaceId: row.workspaceId,
    appSecret: text(secretsOf(row).appSecret),
  }));
}

/**
 * Every WhatsApp Cloud bot's verify token and app secret. Meta's handshake names no phone
 * number, and an event without one cannot be routed, so these are checked against all of
 * them; callers bound how often that happens.
 */
export async function listWhatsappWebhookSecrets(): Promise<{
  verifyTokens: string[];
  appSecrets: string[];
}> {
  const rows = await findBotsWithCredentials(systemDb(), "whatsapp_cloud");
  const verifyTokens = new Set<string>();
  const appSecrets = new Set<string>();
  for (const row of rows) {
    const secrets = secretsOf(row);
    const token = text(secrets.verifyToken);
    const secret = text(secrets.appSecret);
    if (token) verifyTokens.add(token);
    if (secret) appSecrets.add(secret);
  }
  return { verifyTokens: [...verifyTokens], appSecrets: [...appSecrets] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Infobip bot by id, in any workspace; null when there is none of that kind. */
export async function findInfobipInboundBot(botId: string): Promise<InfobipInboundBot | null> {
  // The id comes from a URL: anything but a uuid would only make Postgres refuse the cast.
  if (!UUID.test(botId)) return null;
  const row = await findBotAnyWorkspace(systemDb(), botId);
  if (!row || row.kind !== "infobip") return null;
  const secrets = secretsOf(row);
  const token = text(secrets.webhookToken);
  const username = text(secrets.webhookUsername);
  const password = text(secrets.webhookPassword);
  return {
    botId: row.id,
    workspaceId: row.workspaceId,
    webhook: token && username && password ? { token, username, password } : null,
  };
}
