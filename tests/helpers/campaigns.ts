/**
 * Campaign test data: contacts and groups written as the owner, bots and campaigns through
 * the real tRPC procedures, and waits on the real pipeline (pg-boss workers in this process).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll } from "vitest";
import { contactGroupMembers, contactGroups, contacts } from "@/modules/contacts/contacts.table";
import { campaignRecipients, type RecipientStatus } from "@/modules/campaigns/campaigns.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { createCaller } from "@/server/root";
import { startWorkers } from "@jobs/worker";
import { materializeCampaign } from "@jobs/campaigns/materialize.job";
import { sendCampaignBatch } from "@jobs/campaigns/send.job";
import { applySandboxReceipts } from "@jobs/campaigns/status-updates.job";
import { contextFor } from "./fixtures";
import { freshTenant, type Tenant } from "./import";

export type SeedContact = {
  phone: string;
  nombre?: string | null;
  sustantivo?: string | null;
  attributes?: Record<string, string>;
  groups?: string[];
  optedOut?: boolean;
};

/** Contacts and their groups, inserted directly; returns group ids by name. */
export async function seedContacts(
  workspaceId: string,
  rows: SeedContact[],
): Promise<Map<string, string>> {
  const db = systemDb();
  const names = [...new Set(rows.flatMap((r) => r.groups ?? []))];
  const groupIds = new Map<string, string>();
  for (const name of names) {
    const [g] = await db
      .insert(contactGroups)
      .values({ workspaceId, name })
      .returning({ id: contactGroups.id });
    groupIds.set(name, g!.id);
  }
  if (rows.length === 0) return groupIds;
  const inserted = await db
    .insert(contacts)
    .values(
      rows.map((r) => ({
        workspaceId,
        phone: r.phone,
        nombre: r.nombre ?? null,
        sustantivo: r.sustantivo ?? null,
        attributes: r.attributes ?? {},
        source: "manual" as const,
        optedOutAt: r.optedOut ? new Date() : null,
      })),
    )
    .returning({ id: contacts.id, phone: contacts.phone });
  const idByPhone = new Map(inserted.map((c) => [c.phone, c.id]));
  const members = rows.flatMap((r) =>
    (r.groups ?? []).map((g) => ({
      workspaceId,
      groupId: groupIds.get(g)!,
      contactId: idByPhone.get(r.phone)!,
    })),
  );
  if (members.length) await db.insert(contactGroupMembers).values(members);
  return groupIds;
}

/** `count` Paraguayan mobile numbers starting at `from`. */
export function phones(count: number, from = 0): string[] {
  const base = 981_000_000 + Math.floor(Math.random() * 8_000) * 1000;
  return Array.from({ length: count }, (_, i) => `+595${base + from + i}`);
}

export function callerFor(t: Tenant) {
  return createCaller(contextFor(t.user, t.workspaceId));
}

export async function createSandboxBot(
  t: Tenant,
  overrides: Record<string, unknown> = {},
  config: Record<string, unknown> = {
    latencyMs: 0,
    failureRate: 0,
    deliveredAfterMs: null,
    readAfterMs: null,
  },
) {
  const { bot } = await callerFor(t).bots.create({
    name: `Sandbox ${randomUUID().slice(0, 6)}`,
    kind: "sandbox",
    config,
    ...overrides,
  } as never);
  return bot;
}

/** A Standard Webhooks signing secret, for a webhook bot and the fake receiver that checks it. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** A webhook bot posting to `url` (e.g. a fake receiver), signing with `secret`. */
export async function createWebhookBot(
  t: Tenant,
  url: string,
  secret: string,
  overrides: Record<string, unknown> = {},
) {
  const { bot } = await callerFor(t).bots.create({
    name: `Webhook ${randomUUID().slice(0, 6)}`,
    kind: "webhook",
    config: { url },
    credentials: { signingSecret: secret },
    ...overrides,
  } as never);
  return bot;
}

/** Workers for the campaign queues, in this process. */
export async function startCampaignWorkers(boss: PgBoss) {
  await startWorkers(boss, {
    only: [materializeCampaign.name, sendCampaignBatch.name, applySandboxReceipts.name],
  });
}

/**
 * A campaign suite's hooks: the campaign workers and a fresh tenant before its tests (handed
 * to `onTenant`), pg-boss stopped and the pool closed after them — after the suite's own
 * `afterAll` hooks, which run first.
 */
export function campaignSuite(onTenant: (t: Tenant) => void) {
  beforeAll(async () => {
    await startCampaignWorkers(await getBoss());
    onTenant(await freshTenant());
  });
  afterAll(async () => {
    await stopBoss(5_000);
    await closeDatabase();
  });
}

export async function waitForCampaign(
  t: Tenant,
  id: string,
  statuses: string[],
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await callerFor(t).campaigns.get({ id });
    if (statuses.includes(view.status)) return view;
    if (Date.now() > deadline)
      throw new Error(`campaign stayed ${view.status} (${JSON.stringify(view.counts)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function recipientsOf(workspaceId: string, campaignId: string) {
  return systemDb()
    .select()
    .from(campaignRecipients)
    .where(
      and(
        eq(campaignRecipients.workspaceId, workspaceId),
        eq(campaignRecipients.campaignId, campaignId),
      ),
    )
    .orderBy(campaignRecipients.phone);
}

export async function statusCounts(workspaceId: string, campaignId: string) {
  const rows = await recipientsOf(workspaceId, campaignId);
  const out: Partial<Record<RecipientStatus, number>> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

export async function eventsOf(workspaceId: string, campaignId: string) {
  const { rows } = await systemDb().execute<{ type: string; n: number }>(
    sql`select type, count(*)::int as n from message_event where workspace_id = ${workspaceId} and campaign_id = ${campaignId} group by type`,
  );
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

/** `count` named contacts in one new group: the usual audience of a test campaign. */
export async function seedAudience(
  workspaceId: string,
  count: number,
  { group = `G-${randomUUID().slice(0, 6)}`, from = 0 }: { group?: string; from?: number } = {},
): Promise<{ groupId: string; phones: string[] }> {
  const list = phones(count, from);
  const groups = await seedContacts(
    workspaceId,
    list.map((phone, i) => ({ phone, nombre: `Persona ${i}`, groups: [group] })),
  );
  return { groupId: groups.get(group)!, phones: list };
}

/** A draft's definition: one text template to one group through the given bots. */
export function draftOf(name: string, groupId: string, botIds: string[], body = "Hola {{nombre}}") {
  return {
    name,
    audience: { groupIds: [groupId], excludeGroupIds: [], sources: [] },
    templates: [{ kind: "text" as const, body }],
    botIds,
  };
}

/** Polls `check` every 50 ms until it returns a value other than undefined/false. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
