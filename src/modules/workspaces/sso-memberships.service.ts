/**
 * Memberships that Keycloak groups manage, applied at each sign-in (as the owner: the user
 * has no workspace context yet). The rules, so that what an admin does in-app sticks:
 * - a group joins the user to its workspace — unless an admin removed them in-app there;
 * - the token's role follows into SSO memberships — unless an admin pinned the role in-app;
 * - leaving the group ends the SSO membership (the only way one ends: it cannot be removed
 *   in-app), except a workspace's last admin, who stays so someone can still manage it;
 * - memberships made in-app (invitations, the creator's) are never touched.
 */
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import {
  countAdmins,
  deleteMembership,
  findMembership,
  findSsoMembershipsOfUser,
  findWorkspacesBySlugs,
  hasMembershipRemoval,
  insertMembership,
  updateSyncedRole,
} from "./workspaces.queries";
import type { MemberRole } from "./workspaces.table";

type SyncInput = {
  tx: Tx;
  userId: string;
  /** Workspace slugs named by the token's groups; null when the token carries no groups claim. */
  slugs: string[] | null;
  /** The token's mapped role; null when it maps none. */
  role: MemberRole | null;
  meta: RequestMeta | null;
};

async function joinGroups({ tx, userId, slugs, role, meta }: SyncInput & { slugs: string[] }) {
  for (const ws of await findWorkspacesBySlugs(tx, slugs)) {
    const existing = await findMembership(tx, ws.id, userId);
    if (!existing) {
      if (await hasMembershipRemoval(tx, ws.id, userId)) continue;
      const joined: MemberRole = role ?? "viewer";
      await insertMembership(tx, { workspaceId: ws.id, userId, role: joined, source: "sso" });
      await recordAudit(tx, meta, {
        workspaceId: ws.id,
        actorUserId: userId,
        actorLabel: "sso",
        action: "member.added",
        target: { type: "user", id: userId },
        after: { role: joined, source: "sso" },
      });
    } else if (
      existing.source === "sso" &&
      !existing.rolePinned &&
      role &&
      existing.role !== role &&
      !(existing.role === "admin" && (await countAdmins(tx, ws.id)) <= 1)
    ) {
      // A workspace's last admin is never demoted by a token (nobody could manage it).
      await updateSyncedRole(tx, ws.id, userId, role);
      await recordAudit(tx, meta, {
        workspaceId: ws.id,
        actorUserId: userId,
        actorLabel: "sso",
        action: "member.role_synced",
        target: { type: "user", id: userId },
        before: { role: existing.role },
        after: { role },
      });
    }
  }
}

async function leaveGroups({ tx, userId, slugs, meta }: SyncInput & { slugs: string[] }) {
  const named = new Set(slugs);
  for (const m of await findSsoMembershipsOfUser(tx, userId)) {
    if (named.has(m.slug)) continue;
    if (m.role === "admin" && (await countAdmins(tx, m.workspaceId)) <= 1) {
      logger.warn(
        { workspaceId: m.workspaceId, userId },
        "last admin left the workspace's SSO group; membership kept",
      );
      continue;
    }
    await deleteMembership(tx, m.workspaceId, userId);
    await recordAudit(tx, meta, {
      workspaceId: m.workspaceId,
      actorUserId: userId,
      actorLabel: "sso",
      action: "member.removed",
      target: { type: "user", id: userId },
      before: { role: m.role, source: "sso" },
    });
  }
}

export async function syncSsoMemberships(input: SyncInput) {
  // Without a groups claim the token says nothing about groups: join nothing, end nothing.
  if (input.slugs === null) return;
  await joinGroups({ ...input, slugs: input.slugs });
  await leaveGroups({ ...input, slugs: input.slugs });
}
