import { inSequence } from "@/server/db/in-sequence";
import { and, asc, count, eq, ilike, inArray, or, sql } from "drizzle-orm";
import type { Tx } from "@/server/db/tenant";
import {
  membershipRemovals,
  memberships,
  users,
  workspaces,
  type MemberRole,
} from "./workspaces.table";

export function findMembershipsOfUser(tx: Tx, userId: string) {
  return tx
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(workspaces.name));
}

export async function findMembership(tx: Tx, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({
      workspace: workspaces,
      role: memberships.role,
      source: memberships.source,
      rolePinned: memberships.rolePinned,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

/**
 * The workspace's admins, locked until the transaction ends: two admins demoting each other
 * at the same moment then run one after the other, and the second sees the first's change.
 */
export async function countAdmins(tx: Tx, workspaceId: string): Promise<number> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin")))
    .for("update");
  return rows.length;
}

export async function findMembersPage(
  tx: Tx,
  workspaceId: string,
  opts: { page: number; pageSize: number; search?: string },
) {
  // `%` and `_` typed in the search box are literal characters, not wildcards (`\` escapes).
  const term = opts.search?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const where = and(
    eq(memberships.workspaceId, workspaceId),
    term ? or(ilike(users.email, `%${term}%`), ilike(users.name, `%${term}%`)) : undefined,
  );
  const [rows, [total]] = await inSequence([
    tx
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        role: memberships.role,
        source: memberships.source,
        rolePinned: memberships.rolePinned,
        lastLoginAt: users.lastLoginAt,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(where)
      .orderBy(asc(sql`lower(coalesce(${users.name}, ${users.email}))`))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    tx
      .select({ n: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function setMemberRole(tx: Tx, workspaceId: string, userId: string, role: MemberRole) {
  await tx
    .update(memberships)
    .set({ role, rolePinned: true })
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

export async function deleteMembership(tx: Tx, workspaceId: string, userId: string) {
  await tx
    .delete(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

export async function insertMembership(
  tx: Tx,
  row: {
    workspaceId: string;
    userId: string;
    role: MemberRole;
    source: "sso" | "manual" | "owner";
  },
) {
  await tx.insert(memberships).values(row).onConflictDoNothing();
}

/**
 * Someone who signed in with this email, found for an admin adding a member. Row-level
 * security shows the app role only the people of its workspace, so the lookup runs in an
 * owner-run function that answers for admins of the current workspace only (drizzle/0009).
 */
export async function findUserByEmail(tx: Tx, email: string) {
  const { rows } = await tx.execute<{ id: string; email: string | null }>(
    sql`select id, email from app_find_user_by_email(${email})`,
  );
  return rows[0] ?? null;
}

export async function updateWorkspaceRow(
  tx: Tx,
  workspaceId: string,
  values: Partial<Pick<typeof workspaces.$inferInsert, "name" | "defaultCountry" | "timeZone">>,
) {
  const [row] = await tx
    .update(workspaces)
    .set(values)
    .where(eq(workspaces.id, workspaceId))
    .returning();
  return row ?? null;
}

export async function findWorkspaceById(tx: Tx, workspaceId: string) {
  const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return row ?? null;
}

/** The member of this workspace signed in with `email` (case-insensitive), if any. */
export async function findMemberByEmail(tx: Tx, workspaceId: string, email: string) {
  const [row] = await tx
    .select({ userId: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        sql`lower(${users.email}) = ${email.toLowerCase()}`,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The user's memberships that SSO manages, with the workspace slug their group names. */
export function findSsoMembershipsOfUser(tx: Tx, userId: string) {
  return tx
    .select({
      workspaceId: memberships.workspaceId,
      slug: workspaces.slug,
      role: memberships.role,
      rolePinned: memberships.rolePinned,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(memberships.userId, userId), eq(memberships.source, "sso")));
}

export async function hasMembershipRemoval(tx: Tx, workspaceId: string, userId: string) {
  const [row] = await tx
    .select({ userId: membershipRemovals.userId })
    .from(membershipRemovals)
    .where(
      and(eq(membershipRemovals.workspaceId, workspaceId), eq(membershipRemovals.userId, userId)),
    )
    .limit(1);
  return !!row;
}

export async function recordMembershipRemoval(
  tx: Tx,
  row: { workspaceId: string; userId: string; removedBy: string | null },
) {
  await tx
    .insert(membershipRemovals)
    .values(row)
    .onConflictDoUpdate({
      target: [membershipRemovals.workspaceId, membershipRemovals.userId],
      set: { removedBy: row.removedBy, updatedAt: new Date() },
    });
}

export async function clearMembershipRemoval(tx: Tx, workspaceId: string, userId: string) {
  await tx
    .delete(membershipRemovals)
    .where(
      and(eq(membershipRemovals.workspaceId, workspaceId), eq(membershipRemovals.userId, userId)),
    );
}

export function findWorkspacesBySlugs(tx: Tx, slugs: string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return tx.select().from(workspaces).where(inArray(workspaces.slug, slugs));
}

/** The token's role, into an SSO membership that no admin pinned. */
export async function updateSyncedRole(
  tx: Tx,
  workspaceId: string,
  userId: string,
  role: MemberRole,
) {
  await tx
    .update(memberships)
    .set({ role })
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
        eq(memberships.source, "sso"),
        eq(memberships.rolePinned, false),
      ),
    );
}
