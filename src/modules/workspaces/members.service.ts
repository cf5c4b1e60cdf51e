import { env } from "@/env";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { workspaceGroup } from "@/server/auth/roles";
import type { Tx } from "@/server/db/tenant";
import {
  countAdmins,
  deleteMembership,
  findMembersPage,
  findMembership,
  recordMembershipRemoval,
  setMemberRole,
} from "./workspaces.queries";
import type { MemberRole, Workspace } from "./workspaces.table";

type Scope = { tx: Tx; workspaceId: string; actorUserId: string; meta: RequestMeta };

/** The Keycloak group whose members SSO joins to this workspace. */
export function ssoGroupOf(workspace: Pick<Workspace, "slug">): string {
  return workspaceGroup(workspace.slug, env.AUTH_WORKSPACE_GROUP_PREFIX);
}

export async function listMembers({
  tx,
  workspace,
  page,
  pageSize,
  search,
}: {
  tx: Tx;
  workspace: Workspace;
  page: number;
  pageSize: number;
  search?: string;
}) {
  const { rows, total } = await findMembersPage(tx, workspace.id, { page, pageSize, search });
  const group = ssoGroupOf(workspace);
  return {
    rows: rows.map((r) => ({ ...r, ssoGroup: r.source === "sso" ? group : null })),
    total,
  };
}

async function requireMember(tx: Tx, workspaceId: string, userId: string) {
  const member = await findMembership(tx, workspaceId, userId);
  if (!member) throw new AppError("NOT_FOUND", "workspace.notMember");
  return member;
}

/** A workspace must keep at least one admin, or nobody could manage it any more. */
async function assertNotLastAdmin(tx: Tx, workspaceId: string, currentRole: MemberRole) {
  if (currentRole === "admin" && (await countAdmins(tx, workspaceId)) <= 1) {
    throw new AppError("CONFLICT", "workspace.lastAdmin");
  }
}

/** The role is pinned: for an SSO membership, sign-ins stop syncing it from the token. */
export async function changeMemberRole({
  tx,
  workspaceId,
  actorUserId,
  meta,
  userId,
  role,
}: Scope & { userId: string; role: MemberRole }) {
  const member = await requireMember(tx, workspaceId, userId);
  if (member.role === role) return { changed: false };
  if (role !== "admin") await assertNotLastAdmin(tx, workspaceId, member.role);
  await setMemberRole(tx, workspaceId, userId, role);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "member.role_changed",
    target: { type: "user", id: userId },
    before: { role: member.role, source: member.source, rolePinned: member.rolePinned },
    after: { role, source: member.source, rolePinned: true },
  });
  return { changed: true };
}

/**
 * In-app memberships only: an SSO one would come back at the next sign-in, so the admin is
 * sent to the Keycloak group instead. The removal is remembered, so a group the user is also
 * in does not add them back.
 */
export async function removeMember({
  tx,
  workspaceId,
  actorUserId,
  meta,
  userId,
}: Scope & { userId: string }) {
  const member = await requireMember(tx, workspaceId, userId);
  if (member.source === "sso") {
    const group = ssoGroupOf(member.workspace);
    throw new AppError("CONFLICT", "workspace.managedBySso", { params: { group } });
  }
  await assertNotLastAdmin(tx, workspaceId, member.role);
  await deleteMembership(tx, workspaceId, userId);
  await recordMembershipRemoval(tx, { workspaceId, userId, removedBy: actorUserId });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "member.removed",
    target: { type: "user", id: userId },
    before: { role: member.role, source: member.source },
  });
}
