import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { inSequence } from "@/server/db/in-sequence";
import type { Database } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { invitations, users, workspaces, type MemberRole } from "./workspaces.table";

const pending = and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

export async function insertInvitation(
  tx: Tx,
  row: {
    workspaceId: string;
    email: string;
    role: MemberRole;
    tokenHash: string;
    invitedBy: string;
    expiresAt: Date;
  },
) {
  const [created] = await tx.insert(invitations).values(row).returning();
  return created!;
}

/**
 * Serialises invitations to one address in one workspace until the transaction ends: two
 * admins (or two tabs) inviting the same person at once would otherwise both revoke nothing
 * and collide on the one-pending-per-address index. The later one replaces the earlier.
 */
export async function lockInvitationsFor(tx: Tx, workspaceId: string, email: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`invitation:${workspaceId}:${email}`}, 0))`,
  );
}

/** Revokes the workspace's pending invitations for `email`; returns their ids. */
export async function revokePendingFor(
  tx: Tx,
  workspaceId: string,
  email: string,
  revokedBy: string,
) {
  const rows = await tx
    .update(invitations)
    .set({ revokedAt: new Date(), revokedBy })
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.email, email), pending))
    .returning({ id: invitations.id });
  return rows.map((r) => r.id);
}

/** Pending invitations (expired ones too, flagged by `expiresAt`), newest first. */
export async function findPendingPage(
  tx: Tx,
  workspaceId: string,
  opts: { page: number; pageSize: number },
) {
  const where = and(eq(invitations.workspaceId, workspaceId), pending);
  const [rows, [total]] = await inSequence([
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        expired: sql<boolean>`${invitations.expiresAt} <= now()`,
        createdAt: invitations.createdAt,
        invitedByName: users.name,
        invitedByEmail: users.email,
      })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedBy))
      .where(where)
      .orderBy(desc(invitations.createdAt), desc(invitations.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    tx.select({ n: count() }).from(invitations).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function revokeInvitationRow(
  tx: Tx,
  workspaceId: string,
  id: string,
  revokedBy: string,
) {
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: new Date(), revokedBy })
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id), pending))
    .returning();
  return row ?? null;
}

/**
 * The invitation behind a link and its workspace's name, across workspaces: run on the
 * owner connection, because the invitee is not in the workspace yet. Only the token's hash
 * is compared, through a unique index.
 */
export async function findInvitationByTokenHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/** Locks the invitation while it is accepted, so two tabs accepting it run one at a time. */
export async function lockInvitation(tx: Tx, workspaceId: string, id: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id)))
    .for("update");
  return row ?? null;
}

export async function markInvitationAccepted(
  tx: Tx,
  workspaceId: string,
  id: string,
  userId: string,
) {
  await tx
    .update(invitations)
    .set({ acceptedAt: new Date(), acceptedBy: userId })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.id, id),
        pending,
        gt(invitations.expiresAt, sql`now()`),
      ),
    );
}
