/**
 * Joining a workspace takes the invitee's consent: an admin invites an email address with a
 * role, the invitee opens the link signed in as that address and accepts. Nothing about
 * people outside the workspace is looked up at invite time, so inviting answers the same for
 * every address. The link's token is shown once; only its SHA-256 is stored.
 */
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { systemDb } from "@/server/db/client";
import { withTenant, type Tx } from "@/server/db/tenant";
import {
  findInvitationByTokenHash,
  findPendingPage,
  insertInvitation,
  lockInvitation,
  markInvitationAccepted,
  revokeInvitationRow,
  lockInvitationsFor,
  revokePendingFor,
} from "./invitations.queries";
import { INVITATION_TOKEN, INVITATION_TTL_DAYS } from "./invitations.schema";
import {
  clearMembershipRemoval,
  findMemberByEmail,
  findMembership,
  insertMembership,
} from "./workspaces.queries";
import type { Invitation, MemberRole } from "./workspaces.table";

type Scope = { tx: Tx; workspaceId: string; actorUserId: string; meta: RequestMeta };

const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export async function createInvitation({
  tx,
  workspaceId,
  actorUserId,
  meta,
  email,
  role,
}: Scope & { email: string; role: MemberRole }) {
  // Only this workspace's own members are checked: that reveals nothing the admin cannot see.
  if (await findMemberByEmail(tx, workspaceId, email)) {
    throw new AppError("CONFLICT", "invitation.alreadyMember", { field: "email" });
  }
  // A new link replaces any earlier one for the address (at most one pending per email).
  await lockInvitationsFor(tx, workspaceId, email);
  const replaced = await revokePendingFor(tx, workspaceId, email, actorUserId);
  const token = randomBytes(32).toString("base64url");
  const invitation = await insertInvitation(tx, {
    workspaceId,
    email,
    role,
    tokenHash: hashToken(token),
    invitedBy: actorUserId,
    expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000),
  });
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "invitation.created",
    target: { type: "invitation", id: invitation.id },
    after: { email, role, expiresAt: invitation.expiresAt.toISOString(), replaced },
  });
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    linkPath: `/invitations/${token}`,
  };
}

export function listInvitations({
  tx,
  workspaceId,
  page,
  pageSize,
}: {
  tx: Tx;
  workspaceId: string;
  page: number;
  pageSize: number;
}) {
  return findPendingPage(tx, workspaceId, { page, pageSize });
}

export async function revokeInvitation({
  tx,
  workspaceId,
  actorUserId,
  meta,
  id,
}: Scope & { id: string }) {
  const row = await revokeInvitationRow(tx, workspaceId, id, actorUserId);
  if (!row) throw new AppError("NOT_FOUND", "invitation.notFound");
  await recordAudit(tx, meta, {
    workspaceId,
    actorUserId,
    action: "invitation.revoked",
    target: { type: "invitation", id },
    before: { email: row.email, role: row.role },
  });
}

export type Invitee = { id: string; email: string | null; emailVerified?: boolean };

/** Why a link cannot be used by this person, or null when it can. */
type Refusal = "invalid" | "revoked" | "expired" | "used" | "wrong_account";

function refusalFor(inv: Invitation | null, user: Invitee, now = new Date()): Refusal | null {
  if (!inv) return "invalid";
  if (inv.acceptedAt) return inv.acceptedBy === user.id ? null : "used";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= now) return "expired";
  // The address must be this account's, and verified where the identity provider says so.
  const sameEmail = !!user.email && user.email.toLowerCase() === inv.email;
  if (!sameEmail || user.emailVerified === false) return "wrong_account";
  return null;
}

async function findByToken(token: string) {
  if (!INVITATION_TOKEN.test(token)) return null;
  return findInvitationByTokenHash(systemDb(), hashToken(token));
}

/**
 * What the link page shows. The workspace and role are only described to the invitee
 * themself; anyone else holding the link learns that it is not for them, nothing more.
 */
export async function previewInvitation({ token, user }: { token: string; user: Invitee }) {
  const found = await findByToken(token);
  const refusal = refusalFor(found?.invitation ?? null, user);
  if (refusal || !found) return { status: refusal ?? "invalid" } as const;
  const inv = found.invitation;
  return {
    status: inv.acceptedAt ? ("accepted" as const) : ("pending" as const),
    workspaceId: inv.workspaceId,
    workspaceName: found.workspaceName,
    role: inv.role,
    expiresAt: inv.expiresAt,
  };
}

const REFUSALS: Record<Refusal, () => AppError> = {
  invalid: () => new AppError("NOT_FOUND", "invitation.invalidLink"),
  revoked: () => new AppError("CONFLICT", "invitation.revoked"),
  expired: () => new AppError("CONFLICT", "invitation.expired"),
  used: () => new AppError("CONFLICT", "invitation.used"),
  wrong_account: () => new AppError("FORBIDDEN", "invitation.wrongAccount"),
};

/** Joins the signed-in invitee to the workspace with the invited role; safe to repeat. */
export async function acceptInvitation({
  token,
  user,
  meta,
}: {
  token: string;
  user: Invitee;
  meta: RequestMeta;
}) {
  const found = await findByToken(token);
  const workspaceId = found?.invitation.workspaceId;
  const refuse = (r: Refusal) => REFUSALS[r]();
  if (!found || !workspaceId) throw refuse("invalid");
  return withTenant({ workspaceId, userId: user.id }, async (tx) => {
    // Re-read under a row lock: a revoke or another accept may have landed since.
    const inv = await lockInvitation(tx, workspaceId, found.invitation.id);
    const refusal = refusalFor(inv, user);
    if (refusal) throw refuse(refusal);
    if (inv!.acceptedAt) return { workspaceId, joined: false };
    const existing = await findMembership(tx, workspaceId, user.id);
    if (!existing) {
      await insertMembership(tx, {
        workspaceId,
        userId: user.id,
        role: inv!.role,
        source: "manual",
      });
      await clearMembershipRemoval(tx, workspaceId, user.id);
    }
    await markInvitationAccepted(tx, workspaceId, inv!.id, user.id);
    await recordAudit(tx, meta, [
      {
        workspaceId,
        actorUserId: user.id,
        action: "invitation.accepted",
        target: { type: "invitation", id: inv!.id },
        after: { email: inv!.email, role: inv!.role, alreadyMember: !!existing },
      },
      ...(existing
        ? []
        : [
            {
              workspaceId,
              actorUserId: user.id,
              action: "member.added",
              target: { type: "user", id: user.id },
              after: { role: inv!.role, source: "manual", invitationId: inv!.id },
            },
          ]),
    ]);
    return { workspaceId, joined: !existing };
  });
}
