import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import {
  countAdmins,
  deleteMembership,
  findMembersPage,
  findMembership,
  findUserByEmail,
  insertMembership,
  setMemberRole,
} from "./workspaces.queries";
import type { MemberRole } from "./workspaces.table";

type Scope = { tx: Tx; workspaceId: string; actorUserId: string; meta: RequestMeta };

export function listMembers({
  tx,
  workspaceId,
  page,
  pageSize,
  search,
}: {
  tx: Tx;
  workspaceId: string;
  page: number;
  pageSize: number;
  search?: string;
}) {
  return findMembersPage(tx, workspaceId, { page, pageSize, search });
}

async function requireMember(tx: Tx, workspaceId: string, userId: string) {
  const member = await findMembership(tx, workspaceId, userId);
  if (!member) throw new AppError("NOT_FOUND", "This person is not a member of the workspace");
  return member;
}

/** A workspace must keep at least one admin, or nobody could manage it any more. */
async function assertNotLastAdmin(tx: Tx, workspaceId: string, currentRole: MemberRole) {
  if (currentRole === "admin" && (await countAdmins(tx, workspaceId)) <= 1) {
    throw new AppError("CONFLICT", "A workspace needs at least one admin");
  }
}

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
    before: { role: member.role, source: member.source },
    after: { role, source: "manual" },
  });
  return { changed: true };
}

export async function removeMember({
  tx,
  workspaceId,
  actorUserId,
  meta,
  userId,
}: Scope & { userId: string }) {
  const member = await requireMember(tx, workspaceId, userId);
  await assertNotLastAdmin(tx, workspaceId, member.role);
  await deleteMembership(tx, workspaceId, userId);
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "member.removed",
    target: { type: "user", id: userId },
    before: { role: member.role },
  });
}

export async function addMember({
  tx,
  workspaceId,
  actorUserId,
  meta,
  email,
  role,
}: Scope & { email: string; role: MemberRole }) {
  const user = await findUserByEmail(tx, email);
  if (!user) {
    throw new AppError(
      "NOT_FOUND",
      "No one with this email has signed in yet; ask them to sign in once first",
      {
        fieldErrors: { email: ["No user with this email has signed in yet"] },
      },
    );
  }
  if (await findMembership(tx, workspaceId, user.id)) {
    throw new AppError("CONFLICT", "Already a member", {
      fieldErrors: { email: ["Already a member"] },
    });
  }
  await insertMembership(tx, { workspaceId, userId: user.id, role, source: "manual" });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "member.added",
    target: { type: "user", id: user.id },
    after: { role, email: user.email },
  });
  return { userId: user.id };
}
