import { and, eq, inArray, sql } from "drizzle-orm";
import { env } from "@/env";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { countAdmins } from "@/modules/workspaces/workspaces.queries";
import { insertWorkspaceWithOwner } from "@/modules/workspaces/workspaces.service";
import {
  memberships,
  users,
  workspaces,
  type MemberRole,
} from "@/modules/workspaces/workspaces.table";
import { systemDb } from "@/server/db/client";
import type { Tx } from "@/server/db/tenant";
import { workspaceSlugsFromGroups, type TokenIdentity } from "./roles";

export type SignInProfile = { sub: string; email: string | null; name: string | null };

async function upsertUser(tx: Tx, profile: SignInProfile) {
  const [user] = await tx
    .insert(users)
    .values({ ...profile, lastLoginAt: new Date() })
    .onConflictDoUpdate({
      target: users.sub,
      set: { email: profile.email, name: profile.name, lastLoginAt: new Date() },
    })
    .returning();
  return user!;
}

/** Keycloak groups `/workspaces/<slug>` join the user to those workspaces with the token role. */
async function syncSsoMemberships(
  tx: Tx,
  userId: string,
  identity: TokenIdentity,
  meta: RequestMeta | null,
) {
  const slugs = workspaceSlugsFromGroups(identity.groups, env.AUTH_WORKSPACE_GROUP_PREFIX);
  if (slugs.length === 0) return;
  const targets = await tx.select().from(workspaces).where(inArray(workspaces.slug, slugs));
  for (const ws of targets) {
    const role: MemberRole = identity.role ?? "viewer";
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, userId)));
    if (!existing) {
      await tx.insert(memberships).values({ workspaceId: ws.id, userId, role, source: "sso" });
      await recordAudit(tx, meta, {
        workspaceId: ws.id,
        actorUserId: userId,
        actorLabel: "sso",
        action: "member.added",
        target: { type: "user", id: userId },
        after: { role, source: "sso" },
      });
    } else if (
      existing.source === "sso" &&
      identity.role &&
      existing.role !== identity.role &&
      !(existing.role === "admin" && (await countAdmins(tx, ws.id)) <= 1)
    ) {
      // Only SSO-managed memberships follow the token; a role an admin set by hand stays,
      // and a workspace's last admin is never demoted by a token (nobody could manage it).
      await tx
        .update(memberships)
        .set({ role: identity.role })
        .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, userId)));
      await recordAudit(tx, meta, {
        workspaceId: ws.id,
        actorUserId: userId,
        actorLabel: "sso",
        action: "member.role_synced",
        target: { type: "user", id: userId },
        before: { role: existing.role },
        after: { role: identity.role },
      });
    }
  }
}

/**
 * Runs at every sign-in, as the owner role (the user has no workspace context yet):
 * creates or refreshes the user from the token's claims, applies SSO group/role mappings,
 * gives a first-time user with no workspace one of their own, and audits the sign-in.
 */
export async function provisionUser(
  profile: SignInProfile,
  identity: TokenIdentity,
  meta: RequestMeta | null,
) {
  return systemDb().transaction(async (tx) => {
    const user = await upsertUser(tx, profile);
    await syncSsoMemberships(tx, user.id, identity, meta);
    let mine = await tx
      .select({ workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(eq(memberships.userId, user.id));
    if (mine.length === 0) {
      const label = profile.name ?? profile.email?.split("@")[0] ?? "My";
      const ws = await insertWorkspaceWithOwner(tx, {
        userId: user.id,
        name: `${label} workspace`,
        meta,
      });
      await tx.execute(sql`select set_config('app.workspace_id', '', true)`);
      mine = [{ workspaceId: ws.id }];
    }
    await recordAudit(
      tx,
      meta,
      mine.map((m) => ({
        workspaceId: m.workspaceId,
        actorUserId: user.id,
        action: "auth.sign_in",
        target: { type: "user", id: user.id },
        after: { roles: identity.roles },
      })),
    );
    return user;
  });
}
