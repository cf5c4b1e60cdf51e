/**
 * Joining a workspace takes the invitee's consent: invite (email + role) → link → the
 * invitee accepts, signed in as that email. Inviting never reveals whether an address
 * belongs to anyone; members.list only ever shows the workspace's own members.
 */
import { createHash } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { previewInvitation } from "@/modules/workspaces/invitations.service";
import {
  invitations,
  memberships,
  type User,
  type Workspace,
} from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { appRouter, createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

const tokenOf = (linkPath: string) => linkPath.split("/").pop()!;

async function membershipOf(workspaceId: string, userId: string) {
  const [row] = await systemDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

const auditOf = (workspaceId: string, action: string) =>
  systemDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, workspaceId), eq(auditLogs.action, action)));

describe("invitations", () => {
  let team: Workspace;
  let boss: User;
  // Someone who signed in once and belongs to another tenant only.
  let stranger: User;

  beforeAll(async () => {
    team = await createWorkspace();
    boss = await createUser({ name: "Bea Boss" });
    await addMember(team, boss, "admin", "owner");
    stranger = await createUser({
      name: "Sam Stranger",
      email: `Sam.Stranger-${Date.now()}@elsewhere.test`,
      lastLoginAt: new Date("2025-05-01T10:00:00Z"),
    });
    await addMember(await createWorkspace(), stranger, "admin", "owner");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const as = (user: User | null, hint: string | null = team.id) =>
    createCaller(contextFor(user, hint));

  it("has no way to add someone by email directly any more", () => {
    expect(Object.keys(appRouter._def.procedures)).not.toContain("members.add");
  });

  it("answers the same for an address that exists elsewhere and one that exists nowhere", async () => {
    const known = await as(boss).invitations.create({
      email: stranger.email!.toUpperCase(),
      role: "viewer",
    });
    const unknown = await as(boss).invitations.create({
      email: "nobody-at-all@nowhere.test",
      role: "viewer",
    });
    expect(Object.keys(known).sort()).toEqual(Object.keys(unknown).sort());
    expect(Object.keys(known).sort()).toEqual(["email", "expiresAt", "id", "linkPath", "role"]);
    // Only what the admin typed comes back (normalised), never the person's account data.
    expect(known.email).toBe(stranger.email!.toLowerCase());
    expect(JSON.stringify(known)).not.toContain(stranger.id);
    expect(JSON.stringify(known)).not.toContain("Sam Stranger");

    // Until they accept, the stranger is no member: the list never shows them.
    const list = await as(boss).members.list({});
    expect(list.rows.map((r) => r.userId)).toEqual([boss.id]);
    expect(JSON.stringify(list)).not.toContain("Sam Stranger");
    expect(await membershipOf(team.id, stranger.id)).toBeNull();
  });

  it("stores only the token's hash and makes the link expire in 7 days", async () => {
    const before = Date.now();
    const created = await as(boss).invitations.create({
      email: `hash-${Date.now()}@example.test`,
      role: "operator",
    });
    const token = tokenOf(created.linkPath);
    expect(created.linkPath).toBe(`/invitations/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await systemDb().select().from(invitations).where(eq(invitations.id, created.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const week = 7 * 24 * 3600 * 1000;
    expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + week - 1000);
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + week + 1000);
  });

  it("lets the invitee, signed in as that email, see the workspace and role and accept", async () => {
    const invitee = await createUser({ email: `Invitee-${Date.now()}@example.test` });
    const created = await as(boss).invitations.create({ email: invitee.email!, role: "operator" });
    const token = tokenOf(created.linkPath);

    const preview = await previewInvitation({
      token,
      user: { id: invitee.id, email: invitee.email },
    });
    expect(preview).toMatchObject({
      status: "pending",
      workspaceId: team.id,
      workspaceName: team.name,
      role: "operator",
    });

    const accepted = await as(invitee, null).invitations.accept({ token });
    expect(accepted).toEqual({ workspaceId: team.id, joined: true });
    expect(await membershipOf(team.id, invitee.id)).toMatchObject({
      role: "operator",
      source: "manual",
    });
    // Now a member: their own workspace list and the team list show it.
    expect((await as(invitee, null).workspaces.mine()).map((w) => w.id)).toContain(team.id);
    const list = await as(boss).members.list({});
    expect(list.rows.map((r) => r.userId)).toContain(invitee.id);

    // Accepting again (a second tab) is harmless; the link is used up for anyone else.
    expect(await as(invitee, null).invitations.accept({ token })).toEqual({
      workspaceId: team.id,
      joined: false,
    });
    const other = await createUser();
    const reused = await trpcErrorOf(as(other, null).invitations.accept({ token }));
    expect(reused.code).toBe("CONFLICT");

    const [audit] = await auditOf(team.id, "invitation.accepted");
    expect(audit).toMatchObject({ actorUserId: invitee.id, targetId: created.id });
    const added = await auditOf(team.id, "member.added");
    expect(added.find((a) => a.targetId === invitee.id)).toMatchObject({
      actorUserId: invitee.id,
      after: { role: "operator", source: "manual", invitationId: created.id },
    });
  });

  it("refuses someone signed in with another email, telling them nothing about the workspace", async () => {
    const created = await as(boss).invitations.create({
      email: `meant-for-${Date.now()}@example.test`,
      role: "admin",
    });
    const token = tokenOf(created.linkPath);
    const intruder = await createUser();
    const preview = await previewInvitation({
      token,
      user: { id: intruder.id, email: intruder.email },
    });
    expect(preview).toEqual({ status: "wrong_account" });

    const err = await trpcErrorOf(as(intruder, null).invitations.accept({ token }));
    expect(err.code).toBe("FORBIDDEN");
    expect(await membershipOf(team.id, intruder.id)).toBeNull();
  });

  it("refuses an address the identity provider says is unverified", async () => {
    const invitee = await createUser();
    const created = await as(boss).invitations.create({ email: invitee.email!, role: "viewer" });
    const ctx = contextFor(invitee, null);
    ctx.session!.user.emailVerified = false;
    const err = await trpcErrorOf(
      createCaller(ctx).invitations.accept({ token: tokenOf(created.linkPath) }),
    );
    expect(err.code).toBe("FORBIDDEN");
    expect(await membershipOf(team.id, invitee.id)).toBeNull();
  });

  it("shows admins the pending invitations; a revoked link no longer works", async () => {
    const ws = await createWorkspace();
    await addMember(ws, boss, "admin", "owner");
    const invitee = await createUser();
    const created = await as(boss, ws.id).invitations.create({
      email: invitee.email!,
      role: "viewer",
    });

    const pending = await as(boss, ws.id).invitations.list({});
    expect(pending.total).toBe(1);
    // Each workspace sees and revokes only its own invitations.
    const elsewhere = await as(boss, team.id).invitations.list({ pageSize: 100 });
    expect(elsewhere.rows.map((r) => r.id)).not.toContain(created.id);
    expect((await trpcErrorOf(as(boss, team.id).invitations.revoke({ id: created.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(pending.rows[0]).toMatchObject({
      id: created.id,
      email: invitee.email!.toLowerCase(),
      role: "viewer",
      invitedByName: "Bea Boss",
    });

    await as(boss, ws.id).invitations.revoke({ id: created.id });
    expect((await as(boss, ws.id).invitations.list({})).total).toBe(0);
    const err = await trpcErrorOf(
      as(invitee, null).invitations.accept({ token: tokenOf(created.linkPath) }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/revoked/);
    expect(await membershipOf(ws.id, invitee.id)).toBeNull();

    const [revoked] = await auditOf(ws.id, "invitation.revoked");
    expect(revoked).toMatchObject({ actorUserId: boss.id, targetId: created.id });
    const [createdAudit] = await auditOf(ws.id, "invitation.created");
    expect(createdAudit).toMatchObject({
      actorUserId: boss.id,
      targetId: created.id,
      after: { email: invitee.email!.toLowerCase(), role: "viewer" },
    });

    // Revoking again finds nothing pending.
    expect((await trpcErrorOf(as(boss, ws.id).invitations.revoke({ id: created.id }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("refuses an expired link", async () => {
    const invitee = await createUser();
    const created = await as(boss).invitations.create({ email: invitee.email!, role: "viewer" });
    await systemDb()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, created.id));
    const token = tokenOf(created.linkPath);
    expect(
      await previewInvitation({ token, user: { id: invitee.id, email: invitee.email } }),
    ).toEqual({ status: "expired" });
    const err = await trpcErrorOf(as(invitee, null).invitations.accept({ token }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/expired/);
  });

  it("answers an unknown or malformed token as not valid", async () => {
    const someone = await createUser();
    for (const token of ["x".repeat(43), "short", "../../etc/passwd"]) {
      const err = await trpcErrorOf(as(someone, null).invitations.accept({ token }));
      expect(err.code).toBe("NOT_FOUND");
      expect(
        await previewInvitation({ token, user: { id: someone.id, email: someone.email } }),
      ).toEqual({ status: "invalid" });
    }
  });

  it("replaces an earlier invitation for the same address", async () => {
    const invitee = await createUser();
    const first = await as(boss).invitations.create({ email: invitee.email!, role: "admin" });
    const second = await as(boss).invitations.create({ email: invitee.email!, role: "viewer" });
    const old = await trpcErrorOf(
      as(invitee, null).invitations.accept({ token: tokenOf(first.linkPath) }),
    );
    expect(old.message).toMatch(/revoked/);
    await as(invitee, null).invitations.accept({ token: tokenOf(second.linkPath) });
    expect(await membershipOf(team.id, invitee.id)).toMatchObject({ role: "viewer" });
  });

  it("tells an admin when the address is already a member of this workspace", async () => {
    const err = await trpcErrorOf(
      as(boss).invitations.create({ email: boss.email!.toUpperCase(), role: "viewer" }),
    );
    expect(err.code).toBe("CONFLICT");
  });

  it("lets only admins invite, list and revoke", async () => {
    const operator = await createUser();
    const viewer = await createUser();
    await addMember(team, operator, "operator");
    await addMember(team, viewer, "viewer");
    for (const user of [operator, viewer]) {
      const invite = await trpcErrorOf(
        as(user).invitations.create({ email: "x@example.test", role: "viewer" }),
      );
      expect(invite.code).toBe("FORBIDDEN");
      expect((await trpcErrorOf(as(user).invitations.list({}))).code).toBe("FORBIDDEN");
    }
    const outsider = await createUser();
    expect(
      (await trpcErrorOf(as(outsider).invitations.create({ email: "y@x.test", role: "viewer" })))
        .code,
    ).toBe("FORBIDDEN");
    expect((await trpcErrorOf(as(null).invitations.accept({ token: "t" }))).code).toBe(
      "UNAUTHORIZED",
    );
  });
});
