/**
 * The suppression list: phones a workspace must never message again. Keyed by phone, so it
 * survives the contact's deletion, re-creation and re-import; queued sends to a suppressed
 * phone are cancelled at once, and the send path checks it again at claim time. Lifted only
 * by an audited re-subscribe with a reason.
 */
import { AppError } from "@/lib/errors";
import { maskPhone } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import { notifyCampaign } from "./campaign-launch.service";
import {
  cancelPendingForPhones,
  deleteSuppression,
  findSuppressions,
  insertSuppressions,
} from "./suppressions.queries";

type SuppressionSource = "inbound" | "manual" | "import" | "api";

export async function suppressPhones({
  tx,
  workspaceId,
  phones,
  source,
  reason,
  actorUserId = null,
}: {
  tx: Tx;
  workspaceId: string;
  phones: string[];
  source: SuppressionSource;
  reason: string | null;
  actorUserId?: string | null;
}): Promise<{ added: number; canceled: string[] }> {
  const unique = [...new Set(phones)];
  const added = await insertSuppressions(
    tx,
    unique.map((phone) => ({ workspaceId, phone, source, reason, createdBy: actorUserId })),
  );
  const campaigns = await cancelPendingForPhones(tx, workspaceId, unique);
  for (const id of campaigns) await notifyCampaign(tx, id);
  return { added: added.length, canceled: campaigns };
}

export async function liftSuppression({
  tx,
  workspaceId,
  phone,
  reason,
  actorUserId,
  actorLabel = null,
  meta,
}: {
  tx: Tx;
  workspaceId: string;
  phone: string;
  reason: string | null | undefined;
  actorUserId: string | null;
  actorLabel?: string | null;
  meta: RequestMeta | null;
}) {
  const why = reason?.trim();
  if (!why) {
    throw new AppError("BAD_REQUEST", "campaign.resubscribeReasonRequired", { field: "reason" });
  }
  const removed = await deleteSuppression(tx, workspaceId, phone);
  if (removed) {
    await recordAudit(tx, meta, {
      workspaceId,
      actorUserId,
      actorLabel,
      action: "suppression.lifted",
      target: { type: "phone", id: maskPhone(phone) },
      before: { source: removed.source, reason: removed.reason, since: removed.createdAt },
      after: { reason: why },
    });
  }
  return !!removed;
}

/** One phone's suppression — where it came from, who added it and when — or null. */
export async function findSuppression(tx: Tx, workspaceId: string, phone: string) {
  const [row] = await findSuppressions(tx, workspaceId, [phone]);
  return row ? { source: row.source, createdBy: row.createdBy, createdAt: row.createdAt } : null;
}

/** When each of these phones was suppressed (absent: not suppressed). */
export async function suppressedSince(
  tx: Tx,
  workspaceId: string,
  phones: string[],
): Promise<Map<string, Date>> {
  const rows = await findSuppressions(tx, workspaceId, phones);
  return new Map(rows.map((r) => [r.phone, r.createdAt]));
}

type SqlClient = { query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }> };

/**
 * Which of `phones` are suppressed, and since when — for a raw-client caller (the import's
 * batch writer) inside its own transaction.
 */
export async function suppressedAmong(
  client: SqlClient,
  workspaceId: string,
  phones: string[],
): Promise<{ phone: string; since: Date }[]> {
  if (phones.length === 0) return [];
  const { rows } = await client.query<{ phone: string; since: Date }>(
    "select phone, created_at as since from suppression where workspace_id = $1 and phone = any($2::text[])",
    [workspaceId, phones],
  );
  return rows;
}
