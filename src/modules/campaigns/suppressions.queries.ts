import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import { upsertRollups } from "./rollups";
import { suppressions } from "./campaigns.table";

export async function insertSuppressions(
  tx: Tx,
  rows: {
    workspaceId: string;
    phone: string;
    source: "inbound" | "manual" | "import" | "api";
    reason: string | null;
    createdBy: string | null;
  }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(suppressions)
    .values(rows)
    .onConflictDoNothing()
    .returning({ phone: suppressions.phone });
  return inserted.map((r) => r.phone);
}

export async function deleteSuppression(tx: Tx, workspaceId: string, phone: string) {
  const rows = await tx
    .delete(suppressions)
    .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.phone, phone)))
    .returning();
  return rows[0] ?? null;
}

export async function findSuppressions(tx: Tx, workspaceId: string, phones: string[]) {
  if (phones.length === 0) return [];
  return tx
    .select()
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, workspaceId),
        sql`${suppressions.phone} = any(${sql.param(phones)}::text[])`,
      ),
    );
}

/** Cancels every queued send to these phones, in every campaign (events and rollups too). */
export async function cancelPendingForPhones(
  tx: Tx,
  workspaceId: string,
  phones: string[],
): Promise<string[]> {
  if (phones.length === 0) return [];
  const { rows } = await tx.execute<{ campaign_id: string }>(sql`
    with upd as (
      update campaign_recipient set status = 'canceled', error_code = 'opted_out',
             next_attempt_at = null, updated_at = now()
       where workspace_id = ${workspaceId} and phone = any(${sql.param(phones)}::text[]) and status = 'queued'
      returning campaign_id, id, bot_id, group_id
    ),
    events as (
      insert into message_event (workspace_id, campaign_id, recipient_id, bot_id, type, code)
      select ${workspaceId}, campaign_id, id, bot_id, 'canceled', 'opted_out' from upd
    ),
    counted as (select campaign_id, bot_id, group_id, 'canceled'::text as status, 1 as n from upd),
    roll as (${upsertRollups(workspaceId, null, "counted")})
    select distinct campaign_id from upd`);
  return rows.map((r) => r.campaign_id);
}
