import { eq, sql } from "drizzle-orm";
import { env } from "@/env";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { syncSsoMemberships } from "@/modules/workspaces/sso-memberships.service";
import { insertWorkspaceWithOwner } from "@/modules/workspaces/workspaces.service";
import { memberships, users } from "@/modules/workspaces/workspaces.table";
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

/**
 * Runs at every sign-in, as the owner role (the user has no workspace context yet):
 * creates or refreshes the user from the token's claims, applies SSO group/role mappings
 * (sso-memberships.service.ts), gives a user with no workspace one of their own, and audits
 * the sign-in.
 */
export async function provisionUser(
  profile: SignInProfile,
  identity: TokenIdentity,
  meta: RequestMeta | null,
) {
  return systemDb().transaction(async (tx) => {
    const user = await upsertUser(tx, profile);
    await syncSsoMemberships({
      tx,
      userId: user.id,
      slugs: identity.groups
        ? workspaceSlugsFromGroups(identity.groups, env.AUTH_WORKSPACE_GROUP_PREFIX)
        : null,
      role: identity.role,
      meta,
    });
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
