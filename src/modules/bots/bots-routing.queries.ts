/**
 * Lookups that find a bot before any workspace is known (provider webhooks). They run on the
 * owner connection (`systemDb()`), across workspaces, and return only what routing needs:
 * the bot's id, its workspace and its encrypted credentials. Every write that follows happens
 * in the bot's workspace, under row-level security.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { bots, type BotKindValue } from "./bots.table";

export type RoutingRow = {
  id: string;
  workspaceId: string;
  kind: BotKindValue;
  credentials: string | null;
};

/**
 * A phone number id normally belongs to one bot, but nothing stops two workspaces from
 * configuring the same one; the caller tells them apart by signature. Oldest first and
 * bounded, so bots added later (by anyone) cannot push the original owner out of the list.
 */
export const MAX_BOTS_PER_PHONE_NUMBER_ID = 20;

const routingColumns = {
  id: bots.id,
  workspaceId: bots.workspaceId,
  kind: bots.kind,
  credentials: bots.credentials,
};

export async function findWhatsappBotsByPhoneNumberId(
  db: Database,
  phoneNumberId: string,
): Promise<RoutingRow[]> {
  return db
    .select(routingColumns)
    .from(bots)
    .where(
      and(
        eq(bots.kind, "whatsapp_cloud"),
        sql`${bots.config}->>'phoneNumberId' = ${phoneNumberId}`,
      ),
    )
    .orderBy(asc(bots.createdAt), asc(bots.id))
    .limit(MAX_BOTS_PER_PHONE_NUMBER_ID);
}

/** Every bot of a kind that has credentials: for checks that cannot be routed first. */
export async function findBotsWithCredentials(
  db: Database,
  kind: BotKindValue,
): Promise<RoutingRow[]> {
  return db
    .select(routingColumns)
    .from(bots)
    .where(and(eq(bots.kind, kind), sql`${bots.credentials} is not null`));
}

export async function findBotAnyWorkspace(db: Database, id: string): Promise<RoutingRow | null> {
  const [row] = await db.select(routingColumns).from(bots).where(eq(bots.id, id));
  return row ?? null;
}
