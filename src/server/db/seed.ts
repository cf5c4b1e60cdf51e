import { count } from "drizzle-orm";
import { logger } from "@/lib/logger";
import { env } from "@/env";
import { memberships, users, workspaces } from "@/modules/workspaces/workspaces.table";
import { LOCAL_USERS } from "@/server/auth/local-issuer/users";
import { identityFromClaims } from "@/server/auth/roles";
import { systemDb } from "./client";
import { createBot } from "@/modules/bots/bots.service";
import { seedDemoCampaign } from "@/modules/campaigns/demo-campaign";
import { suppressPhones } from "@/modules/campaigns/suppressions.service";
import { seedDemoContacts } from "./seed-contacts";

export const DEMO_WORKSPACE_SLUG = "demo";

/**
 * First start only (an empty database): the demo workspace and its three members, matching
 * the local issuer's users by `sub` so they land in it on their first sign-in.
 */
export async function seedDemoData(): Promise<boolean> {
  return systemDb().transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(workspaces);
    if ((existing?.n ?? 0) > 0) return false;
    const [ws] = await tx
      .insert(workspaces)
      .values({
        slug: DEMO_WORKSPACE_SLUG,
        name: "Demo SalesTrack",
        defaultCountry: "PY",
        timeZone: "America/Asuncion",
      })
      .returning();
    for (const u of LOCAL_USERS) {
      const { role } = identityFromClaims(
        {
          realm_access: { roles: u.realmRoles },
          resource_access: { [env.AUTH_KEYCLOAK_ID]: { roles: u.clientRoles } },
        },
        env.AUTH_KEYCLOAK_ID,
        {
          admin: env.AUTH_ROLE_ADMIN,
          operator: env.AUTH_ROLE_OPERATOR,
          viewer: env.AUTH_ROLE_VIEWER,
        },
      );
      const [user] = await tx
        .insert(users)
        .values({ sub: u.sub, email: u.email, name: u.name })
        .onConflictDoUpdate({ target: users.sub, set: { email: u.email, name: u.name } })
        .returning();
      await tx
        .insert(memberships)
        .values({ workspaceId: ws!.id, userId: user!.id, role: role ?? "viewer", source: "sso" });
    }
    const demo = await seedDemoContacts(tx, ws!.id);
    // The demo's opted-out contact is suppressed, as a BAJA reply would have left it.
    await suppressPhones({
      tx,
      workspaceId: ws!.id,
      phones: demo.optedOutPhones,
      source: "inbound",
      reason: "Respondió BAJA",
    });
    const { bot } = await createBot({
      tx,
      workspaceId: ws!.id,
      actorUserId: null,
      meta: null,
      input: {
        name: "Sandbox",
        kind: "sandbox",
        config: { latencyMs: 150, failureRate: 0.03, deliveredAfterMs: 2000, readAfterMs: 6000 },
        concurrency: 4,
        ratePerSecond: 20,
        ratePerMinute: null,
        dailyCap: null,
        dailyUniqueCap: null,
        delayMinMs: 0,
        delayMaxMs: 0,
        quietStart: null,
        quietEnd: null,
      },
    });
    await seedDemoCampaign(tx, {
      workspaceId: ws!.id,
      botId: bot.id,
      groupId: demo.groupIds.get("VIP")!,
      cooloffDays: ws!.cooloffDays,
    });
    logger.info(
      { workspace: DEMO_WORKSPACE_SLUG, users: LOCAL_USERS.map((u) => u.email) },
      "seeded demo data",
    );
    return true;
  });
}
