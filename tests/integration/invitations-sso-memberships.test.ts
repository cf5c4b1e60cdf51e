/**
 * In-app membership changes stick across SSO sign-ins: memberships from a Keycloak group are
 * managed there (not removable in-app, ended by leaving the group); memberships made in-app
 * can be removed and SSO never re-creates them; a role set in-app is not overwritten.
 */
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { auditLogs } from "@/modules/audit/audit.table";
import { memberships, type User, type Workspace } from "@/modules/workspaces/workspaces.table";
import { provisionUser } from "@/server/auth/provision";
import { identityFromClaims } from "@/server/auth/roles";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace, TEST_META } from "../helpers/fixtures";

const ROLE_NAMES = {
  admin: env.AUTH_ROLE_ADMIN,
  operator: env.AUTH_ROLE_OPERATOR,
  viewer: env.AUTH_ROLE_VIEWER,
};
const groupOf = (ws: Workspace) => `${env.AUTH_WORKSPACE_GROUP_PREFIX}${ws.slug}`;

/** Signs `user` in again with these Keycloak claims (what the jwt callback does). */
const signIn = (user: User, claims: { groups?: string[]; role?: string }) =>
  provisionUser(
    { sub: user.sub, email: user.email, name: user.name },
    identityFromClaims(
      {
        ...(claims.groups ? { groups: claims.groups } : {}),
        realm_access: { roles: claims.role ? [claims.role] : [] },
      },
      env.AUTH_KEYCLOAK_ID,
      ROLE_NAMES,
    ),
    TEST_META,
  );

async function membershipOf(workspaceId: string, userId: string) {
  const [row] = await systemDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/** A workspace with an admin (made in-app), the way a team starts. */
async function team() {
  const ws = await createWorkspace();
  const boss = await createUser();
  await addMember(ws, boss, "admin", "owner");
  return { ws, boss, as: (u: User = boss) => createCaller(contextFor(u, ws.id)) };
}

afterAll(async () => {
  await closeDatabase();
});

describe("memberships and SSO", () => {
  it("refuses to remove an SSO membership in-app, naming the Keycloak group", async () => {
    const { ws, as } = await team();
    const member = await createUser();
    await signIn(member, { groups: [groupOf(ws)], role: "operator" });
    expect(await membershipOf(ws.id, member.id)).toMatchObject({ source: "sso" });

    const err = await trpcErrorOf(as().members.remove({ userId: member.id }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain(`"${groupOf(ws)}"`);
    expect(await membershipOf(ws.id, member.id)).toMatchObject({ role: "operator" });

    const listed = await as().members.list({});
    expect(listed.rows.find((r) => r.userId === member.id)).toMatchObject({
      source: "sso",
      ssoGroup: groupOf(ws),
    });
  });

  it("keeps an in-app removal although the user's Keycloak group names the workspace", async () => {
    const { ws, as } = await team();
    const member = await createUser();
    await addMember(ws, member, "operator", "manual");

    await as().members.remove({ userId: member.id });
    expect(await membershipOf(ws.id, member.id)).toBeNull();

    await signIn(member, { groups: [groupOf(ws)], role: "admin" });
    await signIn(member, { groups: [groupOf(ws)], role: "admin" });
    expect(await membershipOf(ws.id, member.id)).toBeNull();
    const readded = await systemDb()
      .select()
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.workspaceId, ws.id),
          eq(auditLogs.action, "member.added"),
          eq(auditLogs.targetId, member.id),
        ),
      );
    expect(readded).toHaveLength(0);
  });

  it("lets a removed user back in through a new invitation, and SSO then leaves them be", async () => {
    const { ws, as } = await team();
    const member = await createUser();
    await addMember(ws, member, "viewer", "manual");
    await as().members.remove({ userId: member.id });

    const invite = await as().invitations.create({ email: member.email!, role: "operator" });
    await createCaller(contextFor(member, null)).invitations.accept({
      token: invite.linkPath.split("/").pop()!,
    });
    expect(await membershipOf(ws.id, member.id)).toMatchObject({
      role: "operator",
      source: "manual",
    });

    // In-app again: a sign-in with the group changes neither source nor role…
    await signIn(member, { groups: [groupOf(ws)], role: "admin" });
    expect(await membershipOf(ws.id, member.id)).toMatchObject({
      role: "operator",
      source: "manual",
    });
    // …and removing them again sticks too.
    await as().members.remove({ userId: member.id });
    await signIn(member, { groups: [groupOf(ws)], role: "admin" });
    expect(await membershipOf(ws.id, member.id)).toBeNull();
  });

  it("keeps a role set in-app on an SSO membership, which stays SSO-managed", async () => {
    const { ws, as } = await team();
    const member = await createUser();
    await signIn(member, { groups: [groupOf(ws)], role: "viewer" });
    await as().members.changeRole({ userId: member.id, role: "operator" });

    await signIn(member, { groups: [groupOf(ws)], role: "admin" });
    expect(await membershipOf(ws.id, member.id)).toMatchObject({
      role: "operator",
      source: "sso",
      rolePinned: true,
    });
    // A role change is no back door to removing it in-app.
    expect((await trpcErrorOf(as().members.remove({ userId: member.id }))).code).toBe("CONFLICT");
  });

  it("ends an SSO membership when the user's next sign-in no longer carries the group", async () => {
    const { ws } = await team();
    const other = await createWorkspace();
    const member = await createUser();
    await signIn(member, { groups: [groupOf(ws), groupOf(other)], role: "operator" });
    expect(await membershipOf(ws.id, member.id)).not.toBeNull();

    // A token without any groups claim says nothing about groups: nothing changes.
    await signIn(member, { role: "operator" });
    expect(await membershipOf(ws.id, member.id)).not.toBeNull();

    await signIn(member, { groups: [groupOf(other), "/staff"], role: "operator" });
    expect(await membershipOf(ws.id, member.id)).toBeNull();
    expect(await membershipOf(other.id, member.id)).not.toBeNull();
    const [removed] = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "member.removed")));
    expect(removed).toMatchObject({
      actorUserId: member.id,
      actorLabel: "sso",
      targetId: member.id,
      before: { role: "operator", source: "sso" },
    });
  });

  it("keeps a workspace's last admin when they leave its group", async () => {
    const ws = await createWorkspace({ slug: `solo-${randomUUID().slice(0, 8)}` });
    const admin = await createUser();
    await signIn(admin, { groups: [groupOf(ws)], role: "admin" });
    await signIn(admin, { groups: [], role: "admin" });
    expect(await membershipOf(ws.id, admin.id)).toMatchObject({ role: "admin", source: "sso" });
  });
});
