/**
 * Sign-in provisioning against the real schema: users follow their token's claims, SSO
 * groups and roles become memberships, hand-made role changes survive the next sign-in, and
 * every sign-in is audited.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { auditLogs } from "@/modules/audit/audit.table";
import { memberships, users, workspaces } from "@/modules/workspaces/workspaces.table";
import { provisionUser } from "@/server/auth/provision";
import { identityFromClaims, type TokenIdentity } from "@/server/auth/roles";
import { closeDatabase, systemDb } from "@/server/db/client";
import { addMember, createUser, createWorkspace, TEST_META } from "../helpers/fixtures";

const ROLE_NAMES = {
  admin: env.AUTH_ROLE_ADMIN,
  operator: env.AUTH_ROLE_OPERATOR,
  viewer: env.AUTH_ROLE_VIEWER,
};
const CLIENT = env.AUTH_KEYCLOAK_ID;

type Claims = Parameters<typeof identityFromClaims>[0];
const identity = (claims: Claims): TokenIdentity => identityFromClaims(claims, CLIENT, ROLE_NAMES);
const groupOf = (slug: string) => `${env.AUTH_WORKSPACE_GROUP_PREFIX}${slug}`;

function profile(overrides: Partial<{ sub: string; email: string; name: string }> = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    sub: `kc-${randomUUID()}`,
    email: `p-${tag}@example.test`,
    name: `Person ${tag}`,
    ...overrides,
  };
}

const membershipsOf = (userId: string) =>
  systemDb().select().from(memberships).where(eq(memberships.userId, userId));

const membershipIn = async (workspaceId: string, userId: string) => {
  const [row] = await systemDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row;
};

const auditOf = (workspaceId: string, action: string) =>
  systemDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, workspaceId), eq(auditLogs.action, action)));

afterAll(async () => {
  await closeDatabase();
});

describe("identityFromClaims", () => {
  it("reads realm roles and client roles, and the highest mapped role wins", () => {
    expect(identity({ realm_access: { roles: ["operator"] } }).role).toBe("operator");
    expect(identity({ resource_access: { [CLIENT]: { roles: ["viewer"] } } }).role).toBe("viewer");
    expect(
      identity({
        realm_access: { roles: ["viewer", "offline_access"] },
        resource_access: { [CLIENT]: { roles: ["admin"] } },
      }).role,
    ).toBe("admin");
    expect(
      identity({
        realm_access: { roles: ["admin"] },
        resource_access: { [CLIENT]: { roles: ["viewer"] } },
      }).role,
    ).toBe("admin");
  });

  it("ignores other clients' roles and unmapped roles", () => {
    const id = identity({
      realm_access: { roles: ["offline_access", "uma_authorization"] },
      resource_access: { "some-other-client": { roles: ["admin"] } },
      groups: ["/workspaces/acme"],
    });
    expect(id.role).toBeNull();
    expect(id.groups).toEqual(["/workspaces/acme"]);
  });
});

describe("provisionUser", () => {
  it("creates the user from the claims and updates them on the next sign-in", async () => {
    const p = profile();
    const first = await provisionUser(p, identity({}), TEST_META);
    expect(first).toMatchObject({ sub: p.sub, email: p.email, name: p.name });
    expect(first.lastLoginAt).toBeInstanceOf(Date);

    const second = await provisionUser(
      { ...p, email: `renamed-${randomUUID().slice(0, 8)}@example.test`, name: "New Name" },
      identity({}),
      TEST_META,
    );
    expect(second.id).toBe(first.id);
    const rows = await systemDb().select().from(users).where(eq(users.sub, p.sub));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: second.email, name: "New Name" });
    expect(rows[0]!.lastLoginAt!.getTime()).toBeGreaterThanOrEqual(first.lastLoginAt!.getTime());
  });

  it("gives a first-time user without groups a workspace of their own, as its admin", async () => {
    const p = profile({ name: "Olga Owner" });
    const user = await provisionUser(p, identity({}), TEST_META);

    const mine = await membershipsOf(user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ role: "admin", source: "owner" });
    const [ws] = await systemDb()
      .select()
      .from(workspaces)
      .where(eq(workspaces.id, mine[0]!.workspaceId));
    expect(ws!.name).toBe("Olga Owner workspace");

    const created = await auditOf(ws!.id, "workspace.created");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      actorUserId: user.id,
      ip: "127.0.0.1",
      userAgent: "vitest",
    });

    // Signing in again does not create a second workspace.
    await provisionUser(p, identity({}), TEST_META);
    expect(await membershipsOf(user.id)).toHaveLength(1);
  });

  it("still gives a workspace of their own when the group names no existing workspace", async () => {
    const p = profile();
    const user = await provisionUser(
      p,
      identity({ groups: [groupOf(`missing-${randomUUID().slice(0, 8)}`)] }),
      TEST_META,
    );
    const mine = await membershipsOf(user.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ role: "admin", source: "owner" });
  });

  it("joins the workspace named by a group with the realm role from the token", async () => {
    const ws = await createWorkspace();
    const p = profile();
    const user = await provisionUser(
      p,
      identity({ groups: [groupOf(ws.slug)], realm_access: { roles: ["operator"] } }),
      TEST_META,
    );
    const mine = await membershipsOf(user.id);
    // Joined by SSO, so no workspace of their own was created.
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ workspaceId: ws.id, role: "operator", source: "sso" });

    const added = await auditOf(ws.id, "member.added");
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      actorUserId: user.id,
      actorLabel: "sso",
      targetType: "user",
      targetId: user.id,
      after: { role: "operator", source: "sso" },
    });
  });

  it("maps a client role, and the highest of realm and client roles wins", async () => {
    const ws = await createWorkspace();
    const viewerOnly = await provisionUser(
      profile(),
      identity({
        groups: [groupOf(ws.slug)],
        resource_access: { [CLIENT]: { roles: ["viewer"] } },
      }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, viewerOnly.id)).toMatchObject({ role: "viewer" });

    const both = await provisionUser(
      profile(),
      identity({
        groups: [groupOf(ws.slug)],
        realm_access: { roles: ["viewer"] },
        resource_access: { [CLIENT]: { roles: ["admin"] } },
      }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, both.id)).toMatchObject({ role: "admin", source: "sso" });
  });

  it("joins as viewer when the token carries no mapped role", async () => {
    const ws = await createWorkspace();
    const user = await provisionUser(
      profile(),
      identity({ groups: [groupOf(ws.slug)], realm_access: { roles: ["offline_access"] } }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "viewer", source: "sso" });
  });

  it("re-syncs the role of an SSO membership at the next sign-in, and audits it", async () => {
    const ws = await createWorkspace();
    const p = profile();
    const groups = [groupOf(ws.slug)];
    const user = await provisionUser(
      p,
      identity({ groups, realm_access: { roles: ["viewer"] } }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "viewer", source: "sso" });

    await provisionUser(p, identity({ groups, realm_access: { roles: ["operator"] } }), TEST_META);
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "operator", source: "sso" });

    const synced = await auditOf(ws.id, "member.role_synced");
    expect(synced).toHaveLength(1);
    expect(synced[0]).toMatchObject({
      actorUserId: user.id,
      targetId: user.id,
      before: { role: "viewer" },
      after: { role: "operator" },
    });
  });

  it("never demotes a workspace's last admin through a token, but does once another admin exists", async () => {
    const ws = await createWorkspace();
    const p = profile();
    const groups = [groupOf(ws.slug)];
    const user = await provisionUser(
      p,
      identity({ groups, realm_access: { roles: ["admin"] } }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "admin", source: "sso" });

    await provisionUser(p, identity({ groups, realm_access: { roles: ["viewer"] } }), TEST_META);
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "admin" });
    expect(await auditOf(ws.id, "member.role_synced")).toHaveLength(0);

    const other = await provisionUser(
      profile(),
      identity({ groups, realm_access: { roles: ["admin"] } }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, other.id)).toMatchObject({ role: "admin" });
    await provisionUser(p, identity({ groups, realm_access: { roles: ["viewer"] } }), TEST_META);
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "viewer" });
  });

  it("keeps a role an admin set by hand, whatever the token says", async () => {
    const ws = await createWorkspace();
    const p = profile();
    const groups = [groupOf(ws.slug)];
    const user = await provisionUser(
      p,
      identity({ groups, realm_access: { roles: ["operator"] } }),
      TEST_META,
    );
    await systemDb()
      .update(memberships)
      .set({ role: "viewer", source: "manual" })
      .where(and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, user.id)));

    await provisionUser(p, identity({ groups, realm_access: { roles: ["admin"] } }), TEST_META);
    expect(await membershipIn(ws.id, user.id)).toMatchObject({ role: "viewer", source: "manual" });
    expect(await auditOf(ws.id, "member.role_synced")).toHaveLength(0);
  });

  it("does not touch an existing manual membership of a user who is already a member", async () => {
    const ws = await createWorkspace();
    const existing = await createUser();
    await addMember(ws, existing, "operator", "manual");
    await provisionUser(
      { sub: existing.sub, email: existing.email, name: existing.name },
      identity({ groups: [groupOf(ws.slug)], realm_access: { roles: ["viewer"] } }),
      TEST_META,
    );
    expect(await membershipIn(ws.id, existing.id)).toMatchObject({
      role: "operator",
      source: "manual",
    });
  });

  it("writes an auth.sign_in audit row in every workspace of the user, each sign-in", async () => {
    const a = await createWorkspace();
    const b = await createWorkspace();
    const p = profile();
    const claims = {
      groups: [groupOf(a.slug), groupOf(b.slug)],
      realm_access: { roles: ["operator", "offline_access"] },
    };
    const user = await provisionUser(p, identity(claims), TEST_META);
    await provisionUser(p, identity(claims), { ...TEST_META, requestId: "second" });

    for (const ws of [a, b]) {
      const rows = await auditOf(ws.id, "auth.sign_in");
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actorUserId: user.id,
        targetType: "user",
        targetId: user.id,
        ip: "127.0.0.1",
        userAgent: "vitest",
        after: { roles: ["operator", "offline_access"] },
      });
      expect(rows.map((r) => r.requestId).sort()).toEqual(["second", "test"]);
    }
  });

  it("audits the sign-in of a first-time user in their new workspace", async () => {
    const user = await provisionUser(profile(), identity({}), null);
    const [mine] = await membershipsOf(user.id);
    const rows = await auditOf(mine!.workspaceId, "auth.sign_in");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUserId: user.id, ip: null, userAgent: null });
  });
});
