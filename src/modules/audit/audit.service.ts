import type { RequestMeta } from "@/lib/request-meta";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import {
  deleteAuditRowsBefore,
  findAuditForTarget,
  findAuditPage,
  insertAuditRows,
} from "./audit.queries";
import type { AuditAction, ListAuditInput } from "./audit.schema";

export type AuditEntry = {
  workspaceId: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  action: AuditAction;
  target?: { type: string; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

/**
 * Records sensitive actions in the caller's transaction, so the audit row commits or rolls
 * back together with the change it describes.
 */
export async function recordAudit(
  tx: Tx,
  meta: RequestMeta | null,
  entries: AuditEntry | AuditEntry[],
) {
  const list = Array.isArray(entries) ? entries : [entries];
  await insertAuditRows(
    tx,
    list.map((e) => ({
      workspaceId: e.workspaceId,
      actorUserId: e.actorUserId,
      actorLabel: e.actorLabel ?? null,
      action: e.action,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
      ip: meta?.ip ?? null,
      userAgent: meta?.userAgent ?? null,
      requestId: meta?.requestId ?? null,
    })),
  );
}

export function listAudit({
  tx,
  workspaceId,
  input,
}: {
  tx: Tx;
  workspaceId: string;
  input: ListAuditInput;
}) {
  return findAuditPage(tx, workspaceId, input);
}

/** What happened to one target (e.g. a contact), newest first, at most `limit` entries. */
export function listAuditForTarget({
  tx,
  workspaceId,
  target,
  limit,
}: {
  tx: Tx;
  workspaceId: string;
  target: { type: string; id: string };
  limit: number;
}) {
  return findAuditForTarget(tx, workspaceId, target, limit);
}

/** Retention: deletes audit rows older than `olderThanDays` (as the owner); 0 keeps all. */
export async function purgeAuditLog({ olderThanDays }: { olderThanDays: number }) {
  if (olderThanDays <= 0) return 0;
  return deleteAuditRowsBefore(systemDb(), new Date(Date.now() - olderThanDays * 86_400_000));
}
