/**
 * The tRPC procedures through `createCaller`, with the real middleware chain (auth, workspace
 * membership, permissions, input validation, error mapping) and the real database.
 */
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/shared";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { memberships, type User, type Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { appRouter, createCaller } from "@/server/root";
import type { TRPCContext } from "@/server/trpc";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

/** The TRPCError a call rejected with (fails the test when it resolved). */
async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/** What the HTTP adapter would send to the client for this error (through errorFormatter). */
function shapeOf(error: TRPCError, ctx: TRPCContext, path: string, input: unknown) {
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: "mutation",
    path,
    input,
    ctx,
  });
}

async function roleOf(workspaceId: string, userId: string) {
  const [row] = await systemDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row ?? null;
}

describe("tRPC procedures", () => {
  let ws: Workspace;
  let admin: User;
  let operator: User;
  let viewer: User;
  let outsider: User;

  beforeAll(async () => {
    ws = await createWorkspace();
    [admin, operator, viewer, outsider] = await Promise.all([
      createUser({ name: "Alice Admin" }),
      createUser({ name: "Oscar Operator" }),
      createUser({ name: "Victor Viewer" }),
      createUser({ name: "Olivia Outsider" }),
    ]);
    await addMember(ws, admin, "admin", "owner");
    await addMember(ws, operator, "operator");
    await addMember(ws, viewer, "viewer", "sso");
    // The outsider has a workspace of their own, just not this one.
    await addMember(await createWorkspace(), outsider, "admin", "owner");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const as = (user: User | null, hint: string | null = ws.id) =>
    createCaller(contextFor(user, hint));

  describe("authentication and membership", () => {
    it("rejects a signed-out caller with UNAUTHORIZED", async () => {
      const err = await trpcErrorOf(as(null).workspaces.current());
      expect(err.code).toBe("UNAUTHORIZED");
      const mine = await trpcErrorOf(as(null).workspaces.mine());
      expect(mine.code).toBe("UNAUTHORIZED");
    });

    it("rejects a session that could not be refreshed", async () => {
      const ctx = contextFor(admin, ws.id);
      ctx.session = { ...ctx.session!, error: "SessionEnded" };
      const err = await trpcErrorOf(createCaller(ctx).workspaces.current());
      expect(err.code).toBe("UNAUTHORIZED");
    });

    it("rejects a user who is not a member of the hinted workspace with FORBIDDEN", async () => {
      const err = await trpcErrorOf(as(outsider).workspaces.current());
      expect(err.code).toBe("FORBIDDEN");
    });

    it("rejects a hinted workspace that does not exist with FORBIDDEN", async () => {
      const err = await trpcErrorOf(
        as(admin, "00000000-0000-4000-8000-000000000000").workspaces.current(),
      );
      expect(err.code).toBe("FORBIDDEN");
    });

    // The tRPC route passes the `x-workspace-id` header through unchecked (only the cookie is
    // validated as a UUID), so any string a client sends reaches this point.
    it("answers a malformed workspace hint with FORBIDDEN, not an internal error", async () => {
      const err = await trpcErrorOf(as(admin, "not-a-uuid").workspaces.current());
      expect(err.code).toBe("FORBIDDEN");
    });

    it("describes the member's workspace, role and permissions", async () => {
      const current = await as(viewer).workspaces.current();
      expect(current.workspace.id).toBe(ws.id);
      expect(current.role).toBe("viewer");
      expect(current.permissions).toContain("contacts:read");
      expect(current.permissions).not.toContain("members:manage");

      const adminView = await as(admin).workspaces.current();
      expect(adminView.permissions).toEqual(
        expect.arrayContaining(["settings:manage", "members:manage", "audit:read"]),
      );
    });

    it("falls back to the user's first workspace without a hint", async () => {
      const current = await as(viewer, null).workspaces.current();
      expect(current.workspace.id).toBe(ws.id);
    });

    it("lists only the caller's own workspaces", async () => {
      const mine = await as(outsider).workspaces.mine();
      expect(mine).toHaveLength(1);
      expect(mine[0]!.id).not.toBe(ws.id);
      expect(mine[0]!.role).toBe("admin");
    });
  });

  describe("permissions", () => {
    it("forbids a viewer and an operator from managing members or settings", async () => {
      for (const user of [viewer, operator]) {
        const list = await trpcErrorOf(as(user).members.list({}));
        expect(list.code).toBe("FORBIDDEN");
        const settings = await trpcErrorOf(
          as(user).workspaces.updateSettings({
            name: "Hijacked",
            defaultCountry: "AR",
            timeZone: "America/Asuncion",
          }),
        );
        expect(settings.code).toBe("FORBIDDEN");
        const audit = await trpcErrorOf(as(user).audit.list({}));
        expect(audit.code).toBe("FORBIDDEN");
      }
      const [row] = await systemDb()
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "workspace.updated")));
      expect(row).toBeUndefined();
    });

    it("lets an admin list members, paginated and searchable", async () => {
      const page = await as(admin).members.list({ page: 1, pageSize: 5 });
      expect(page.total).toBe(3);
      expect(page.rows.map((r) => r.userId).sort()).toEqual(
        [admin.id, operator.id, viewer.id].sort(),
      );
      expect(page.rows.map((r) => r.userId)).not.toContain(outsider.id);

      const found = await as(admin).members.list({ search: "victor" });
      expect(found.total).toBe(1);
      expect(found.rows[0]).toMatchObject({ userId: viewer.id, role: "viewer", source: "sso" });
    });

    it("lets an admin update the settings, normalising and auditing them", async () => {
      const settingsWs = await createWorkspace();
      await addMember(settingsWs, admin, "admin", "owner");
      const updated = await as(admin, settingsWs.id).workspaces.updateSettings({
        name: "  Ventas Asunción  ",
        defaultCountry: "ar",
        timeZone: "America/Montevideo",
      });
      expect(updated).toMatchObject({
        id: settingsWs.id,
        name: "Ventas Asunción",
        defaultCountry: "AR",
        timeZone: "America/Montevideo",
      });
      const [row] = await systemDb()
        .select()
        .from(auditLogs)
        .where(
          and(eq(auditLogs.workspaceId, settingsWs.id), eq(auditLogs.action, "workspace.updated")),
        );
      expect(row).toMatchObject({
        actorUserId: admin.id,
        before: { name: settingsWs.name, defaultCountry: "PY", timeZone: "America/Asuncion" },
        after: { name: "Ventas Asunción", defaultCountry: "AR" },
      });
    });
  });

  describe("input validation", () => {
    it("answers invalid settings with BAD_REQUEST and per-field errors", async () => {
      const input = { name: "Valid name", defaultCountry: "Paraguay", timeZone: "Mars/Olympus" };
      const ctx = contextFor(admin, ws.id);
      const err = await trpcErrorOf(createCaller(ctx).workspaces.updateSettings(input));
      expect(err.code).toBe("BAD_REQUEST");

      const shape = shapeOf(err, ctx, "workspaces.updateSettings", input);
      expect(shape.data.code).toBe("BAD_REQUEST");
      expect(shape.data.httpStatus).toBe(400);
      expect(shape.data.requestId).toBe("test");
      expect(shape.data.stack).toBeUndefined();
      expect(shape.data.fieldErrors).toEqual({
        defaultCountry: [{ key: "workspace.countryUnknown" }],
        timeZone: [{ key: "workspace.timeZoneUnknown" }],
      });
      expect(shape.data.fieldErrors).not.toHaveProperty("name");
    });

    // Intl.supportedValuesOf("timeZone") lists CLDR's canonical ids only: it leaves out "UTC"
    // and today's IANA names (Asia/Kolkata, Europe/Kyiv, America/Argentina/Buenos_Aires),
    // although Intl and Postgres accept them all.
    it("accepts valid IANA time zones such as UTC and Asia/Kolkata", async () => {
      const zoneWs = await createWorkspace();
      await addMember(zoneWs, admin, "admin", "owner");
      const zones = ["UTC", "Asia/Kolkata", "Europe/Kyiv", "America/Argentina/Buenos_Aires"];
      const rejected: string[] = [];
      for (const timeZone of zones) {
        new Intl.DateTimeFormat("en", { timeZone }); // the runtime knows it
        await as(admin, zoneWs.id)
          .workspaces.updateSettings({ name: "Zone test", defaultCountry: "PY", timeZone })
          .catch(() => rejected.push(timeZone));
      }
      expect(rejected).toEqual([]);
    });

    it("keeps the message of a known error and hides an unexpected one", async () => {
      const ctx = contextFor(admin, ws.id);
      const known = await trpcErrorOf(
        createCaller(ctx).members.changeRole({ userId: outsider.id, role: "viewer" }),
      );
      expect(known.code).toBe("NOT_FOUND");
      const knownShape = shapeOf(known, ctx, "members.changeRole", {});
      expect(knownShape.message).toBe("This person is not a member of the workspace");
      expect(knownShape.data.httpStatus).toBe(404);

      const unexpected = new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: "connection string postgres://secret@db",
        cause: new Error("connection string postgres://secret@db"),
      });
      const hidden = shapeOf(unexpected, ctx, "workspaces.current", undefined);
      expect(hidden.message).not.toContain("secret");
      expect(hidden.message).toContain("request id");
      expect(hidden.data.requestId).toBe("test");
    });
  });

  describe("members", () => {
    it("changes a role, pins it (SSO stops syncing it) and audits before/after with actor, ip and agent", async () => {
      const team = await createWorkspace();
      const [boss, member] = await Promise.all([createUser(), createUser()]);
      await addMember(team, boss, "admin", "owner");
      await addMember(team, member, "viewer", "sso");

      const result = await as(boss, team.id).members.changeRole({
        userId: member.id,
        role: "operator",
      });
      expect(result).toEqual({ changed: true });
      // Still an SSO membership (the group manages whether they belong); the role is pinned.
      expect(await roleOf(team.id, member.id)).toMatchObject({
        role: "operator",
        source: "sso",
        rolePinned: true,
      });

      const rows = await systemDb()
        .select()
        .from(auditLogs)
        .where(
          and(eq(auditLogs.workspaceId, team.id), eq(auditLogs.action, "member.role_changed")),
        );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actorUserId: boss.id,
        targetType: "user",
        targetId: member.id,
        ip: "127.0.0.1",
        userAgent: "vitest",
        requestId: "test",
        before: { role: "viewer", source: "sso", rolePinned: false },
        after: { role: "operator", source: "sso", rolePinned: true },
      });

      // Setting the same role again is a no-op and writes nothing.
      const again = await as(boss, team.id).members.changeRole({
        userId: member.id,
        role: "operator",
      });
      expect(again).toEqual({ changed: false });
      const after = await systemDb()
        .select()
        .from(auditLogs)
        .where(
          and(eq(auditLogs.workspaceId, team.id), eq(auditLogs.action, "member.role_changed")),
        );
      expect(after).toHaveLength(1);
    });

    it("refuses to demote or remove the last admin with CONFLICT, and changes nothing", async () => {
      const team = await createWorkspace();
      const [solo, member] = await Promise.all([createUser(), createUser()]);
      await addMember(team, solo, "admin", "owner");
      await addMember(team, member, "operator");

      const demote = await trpcErrorOf(
        as(solo, team.id).members.changeRole({ userId: solo.id, role: "viewer" }),
      );
      expect(demote.code).toBe("CONFLICT");
      const remove = await trpcErrorOf(as(solo, team.id).members.remove({ userId: solo.id }));
      expect(remove.code).toBe("CONFLICT");
      expect(await roleOf(team.id, solo.id)).toMatchObject({ role: "admin" });

      // With a second admin, the first may step down.
      await as(solo, team.id).members.changeRole({ userId: member.id, role: "admin" });
      await as(solo, team.id).members.changeRole({ userId: solo.id, role: "viewer" });
      expect(await roleOf(team.id, solo.id)).toMatchObject({ role: "viewer" });
    });

    it("removes a member, audits it, and the removed user loses access", async () => {
      const team = await createWorkspace();
      const [boss, member] = await Promise.all([createUser(), createUser()]);
      await addMember(team, boss, "admin", "owner");
      await addMember(team, member, "operator");

      await as(boss, team.id).members.remove({ userId: member.id });
      expect(await roleOf(team.id, member.id)).toBeNull();
      const [row] = await systemDb()
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.workspaceId, team.id), eq(auditLogs.action, "member.removed")));
      expect(row).toMatchObject({
        actorUserId: boss.id,
        targetId: member.id,
        before: { role: "operator" },
      });

      const err = await trpcErrorOf(as(member, team.id).workspaces.current());
      expect(err.code).toBe("FORBIDDEN");
    });

    it("cannot change the role of a member of another workspace", async () => {
      const err = await trpcErrorOf(
        as(admin, ws.id).members.changeRole({ userId: outsider.id, role: "viewer" }),
      );
      expect(err.code).toBe("NOT_FOUND");
    });
  });

  describe("audit.list", () => {
    it("paginates newest first and filters by action", async () => {
      const team = await createWorkspace();
      const boss = await createUser();
      await addMember(team, boss, "admin", "owner");
      const rows = Array.from({ length: 12 }, (_, i) => ({
        workspaceId: team.id,
        actorUserId: boss.id,
        action: i % 3 === 0 ? "member.added" : "auth.sign_in",
        targetType: "test",
        targetId: String(i),
        createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)),
      }));
      await systemDb().insert(auditLogs).values(rows);

      const caller = as(boss, team.id);
      const first = await caller.audit.list({ page: 1, pageSize: 5 });
      expect(first.total).toBe(12);
      expect(first.rows).toHaveLength(5);
      expect(first.rows.map((r) => r.targetId)).toEqual(["11", "10", "9", "8", "7"]);
      expect(first.rows[0]!.actorEmail).toBe(boss.email);

      const last = await caller.audit.list({ page: 3, pageSize: 5 });
      expect(last.total).toBe(12);
      expect(last.rows.map((r) => r.targetId)).toEqual(["1", "0"]);

      const added = await caller.audit.list({ action: "member.added", pageSize: 5 });
      expect(added.total).toBe(4);
      expect(added.rows.map((r) => r.targetId)).toEqual(["9", "6", "3", "0"]);
      expect(added.rows.every((r) => r.action === "member.added")).toBe(true);

      const err = await trpcErrorOf(caller.audit.list({ pageSize: 1000 }));
      expect(err.code).toBe("BAD_REQUEST");
    });

    it("never shows another workspace's audit rows", async () => {
      const other = await createWorkspace();
      const action = `test.other_${other.id.slice(0, 8)}`;
      await systemDb().insert(auditLogs).values({ workspaceId: other.id, action });
      const mine = await as(admin, ws.id).audit.list({ action });
      expect(mine).toEqual({ rows: [], total: 0 });
    });
  });
});
