import { inSequence } from "@/server/db/in-sequence";
import { and, count, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { users } from "@/modules/workspaces/workspaces.table";
import { auditLogs } from "./audit.table";
import type { ListAuditInput } from "./audit.schema";

export type NewAuditRow = typeof auditLogs.$inferInsert;

export async function insertAuditRows(tx: Tx, rows: NewAuditRow[]): Promise<void> {
  if (rows.length > 0) await tx.insert(auditLogs).values(rows);
}

export async function findAuditPage(tx: Tx, workspaceId: string, input: ListAuditInput) {
  const filters: SQL[] = [eq(auditLogs.workspaceId, workspaceId)];
  if (input.action) filters.push(eq(auditLogs.action, input.action));
  if (input.actorUserId) filters.push(eq(auditLogs.actorUserId, input.actorUserId));
  if (input.from) filters.push(gte(auditLogs.createdAt, input.from));
  if (input.to) filters.push(lte(auditLogs.createdAt, input.to));
  const where = and(...filters);

  const [rows, [total]] = await inSequence([
    tx
      .select({
        id: auditLogs.id,
        action: auditLogs.action,
        actorUserId: auditLogs.actorUserId,
        actorLabel: auditLogs.actorLabel,
        actorEmail: users.email,
        targetType: auditLogs.targetType,
        targetId: auditLogs.targetId,
        ip: auditLogs.ip,
        userAgent: auditLogs.userAgent,
        before: auditLogs.before,
        after: auditLogs.after,
        createdAt: auditLogs.createdAt,
      })
      .from(auditLogs)
      .leftJoin(users, eq(users.id, auditLogs.actorUserId))
      .where(where)
      .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    tx.select({ n: count() }).from(auditLogs).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/**
 * Deletes rows older than `cutoff`, across workspaces. Only the owner can: audit_log is
 * append-only for the app role (no DELETE grant), so this takes the owner's database.
 */
export async function deleteAuditRowsBefore(db: Database, cutoff: Date): Promise<number> {
  const removed = await db
    .delete(auditLogs)
    .where(lt(auditLogs.createdAt, cutoff))
    .returning({ id: auditLogs.id });
  return removed.length;
}

/** The newest audit rows about one target (a contact's timeline), with the actor's email. */
export function findAuditForTarget(
  tx: Tx,
  workspaceId: string,
  target: { type: string; id: string },
  limit: number,
) {
  return tx
    .select({
      id: auditLogs.id,
      action: auditLogs.action,
      actorLabel: auditLogs.actorLabel,
      actorEmail: users.email,
      before: auditLogs.before,
      after: auditLogs.after,
      createdAt: auditLogs.createdAt,
    })
    .from(auditLogs)
    .leftJoin(users, eq(users.id, auditLogs.actorUserId))
    .where(
      and(
        eq(auditLogs.workspaceId, workspaceId),
        eq(auditLogs.targetType, target.type),
        eq(auditLogs.targetId, target.id),
      ),
    )
    .orderBy(desc(auditLogs.createdAt), desc(auditLogs.id))
    .limit(limit);
}
