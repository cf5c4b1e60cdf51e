/**
 * Row-level security as the app role: the database itself keeps tenants apart, even when a
 * query forgets its `workspace_id` filter.
 */
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import {
  memberships,
  workspaces,
  type User,
  type Workspace,
} from "@/modules/workspaces/workspaces.table";
import { closeDatabase, db, systemDb } from "@/server/db/client";
import { withTenant, type Tx } from "@/server/db/tenant";
import { addMember, createUser, createWorkspace, expectPgError } from "../helpers/fixtures";

const RLS_VIOLATION = /new row violates row-level security policy/;
const PERMISSION_DENIED = /permission denied for table audit_log/;

describe("row-level security for the app role", () => {
  let a: Workspace;
  let b: Workspace;
  let alice: User; // member of A
  let bob: User; // member of B
  let ids: string[];

  beforeAll(async () => {
    [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
    [alice, bob] = await Promise.all([createUser(), createUser()]);
    await addMember(a, alice, "admin", "owner");
    await addMember(b, bob, "admin", "owner");
    await systemDb()
      .insert(auditLogs)
      .values([
        { workspaceId: a.id, action: "test.a" },
        { workspaceId: b.id, action: "test.b" },
      ]);
    ids = [a.id, b.id];
  });

  afterAll(async () => {
    await closeDatabase();
  });

  /** Our fixture rows, as seen through `tx` (other test files write rows of their own). */
  async function visible(tx: Tx | ReturnType<typeof db>) {
    // One statement at a time: a transaction is one connection.
    const ws = await tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(inArray(workspaces.id, ids));
    const members = await tx
      .select({ workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(inArray(memberships.workspaceId, ids));
    const audit = await tx
      .select({ workspaceId: auditLogs.workspaceId })
      .from(auditLogs)
      .where(inArray(auditLogs.workspaceId, ids));
    return {
      workspaces: ws.map((r) => r.id),
      memberships: members.map((r) => r.workspaceId),
      audit: audit.map((r) => r.workspaceId),
    };
  }

  it("sees the rows as the owner (the fixtures exist)", async () => {
    const all = await visible(systemDb());
    expect(all.workspaces.sort()).toEqual([...ids].sort());
    expect(all.memberships).toHaveLength(2);
    expect(all.audit).toHaveLength(2);
  });

  it("runs as salestrack_app, not as the owner", async () => {
    const [row] = await withTenant({ workspaceId: a.id }, async (tx) => {
      const res = await tx.execute<{ current_user: string; session_user: string }>(
        sql`select current_user, session_user`,
      );
      return res.rows;
    });
    expect(row!.current_user).toBe("salestrack_app");
    expect(row!.session_user).not.toBe("salestrack_app");

    const plain = await db().execute<{ current_user: string }>(sql`select current_user`);
    expect(plain.rows[0]!.current_user).toBe("salestrack_app");
  });

  it("shows nothing to a query without a tenant context", async () => {
    expect(await visible(db())).toEqual({ workspaces: [], memberships: [], audit: [] });
  });

  it("shows nothing once the tenant settings are reset inside a transaction", async () => {
    const seen = await db().transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.workspace_id', ${a.id}, true)`);
      expect((await visible(tx)).workspaces).toEqual([a.id]);
      await tx.execute(
        sql`select set_config('app.workspace_id', '', true), set_config('app.user_id', '', true)`,
      );
      return visible(tx);
    });
    expect(seen).toEqual({ workspaces: [], memberships: [], audit: [] });
  });

  it("does not carry one transaction's workspace into the next use of the connection", async () => {
    await withTenant({ workspaceId: a.id }, (tx) => visible(tx));
    // Every pooled connection has now run a tenant transaction at least once.
    const after = await Promise.all(Array.from({ length: 5 }, () => visible(db())));
    for (const seen of after) expect(seen).toEqual({ workspaces: [], memberships: [], audit: [] });
  });

  it("shows workspace A's rows and never B's while A is set", async () => {
    const seenA = await withTenant({ workspaceId: a.id }, (tx) => visible(tx));
    expect(seenA).toEqual({ workspaces: [a.id], memberships: [a.id], audit: [a.id] });

    const seenB = await withTenant({ workspaceId: b.id }, (tx) => visible(tx));
    expect(seenB).toEqual({ workspaces: [b.id], memberships: [b.id], audit: [b.id] });
  });

  it("shows a user their own memberships and workspaces, but not their colleagues elsewhere", async () => {
    const seen = await withTenant({ userId: bob.id }, (tx) => visible(tx));
    expect(seen).toEqual({ workspaces: [b.id], memberships: [b.id], audit: [] });

    // In workspace A, Bob still sees his own B membership, but not other B members.
    const carol = await createUser();
    await addMember(b, carol, "viewer");
    const inA = await withTenant({ workspaceId: a.id, userId: bob.id }, (tx) =>
      tx
        .select({ userId: memberships.userId, workspaceId: memberships.workspaceId })
        .from(memberships)
        .where(inArray(memberships.workspaceId, ids)),
    );
    expect(inA).toEqual(
      expect.arrayContaining([
        { userId: alice.id, workspaceId: a.id },
        { userId: bob.id, workspaceId: b.id },
      ]),
    );
    expect(inA).toHaveLength(2);
  });

  it("rejects writing rows of workspace B while A is set", async () => {
    const intoAudit = await expectPgError(() =>
      withTenant({ workspaceId: a.id }, (tx) =>
        tx.insert(auditLogs).values({ workspaceId: b.id, action: "test.cross" }),
      ),
    );
    expect(intoAudit.code).toBe("42501");
    expect(intoAudit.message).toMatch(RLS_VIOLATION);

    const intoMembership = await expectPgError(() =>
      withTenant({ workspaceId: a.id }, (tx) =>
        tx.insert(memberships).values({ workspaceId: b.id, userId: alice.id, role: "admin" }),
      ),
    );
    expect(intoMembership.code).toBe("42501");
    expect(intoMembership.message).toMatch(RLS_VIOLATION);

    const moveRow = await expectPgError(() =>
      withTenant({ workspaceId: a.id }, (tx) =>
        tx.update(memberships).set({ workspaceId: b.id }).where(eq(memberships.userId, alice.id)),
      ),
    );
    expect(moveRow.code).toBe("42501");

    const writes = await withTenant({ workspaceId: a.id }, async (tx) => {
      const renamed = await tx
        .update(workspaces)
        .set({ name: "pwned" })
        .where(eq(workspaces.id, b.id))
        .returning();
      const removed = await tx
        .delete(memberships)
        .where(eq(memberships.workspaceId, b.id))
        .returning();
      return { renamed: renamed.length, removed: removed.length };
    });
    expect(writes).toEqual({ renamed: 0, removed: 0 });

    const [bNow] = await systemDb().select().from(workspaces).where(eq(workspaces.id, b.id));
    expect(bNow!.name).toBe(b.name);
    const bAudit = await systemDb().select().from(auditLogs).where(eq(auditLogs.workspaceId, b.id));
    expect(bAudit.map((r) => r.action)).toEqual(["test.b"]);
  });

  it("lets the app role write inside its own workspace", async () => {
    await withTenant({ workspaceId: a.id }, (tx) =>
      tx.insert(auditLogs).values({ workspaceId: a.id, action: "test.a.own" }),
    );
    const rows = await systemDb()
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, "test.a.own"));
    expect(rows).toHaveLength(1);
  });

  it("cannot update or delete audit rows, even its own workspace's", async () => {
    const update = await expectPgError(() =>
      withTenant({ workspaceId: a.id }, (tx) =>
        tx.update(auditLogs).set({ action: "tampered" }).where(eq(auditLogs.workspaceId, a.id)),
      ),
    );
    expect(update.code).toBe("42501");
    expect(update.message).toMatch(PERMISSION_DENIED);

    const remove = await expectPgError(() =>
      withTenant({ workspaceId: a.id }, (tx) =>
        tx.delete(auditLogs).where(eq(auditLogs.workspaceId, a.id)),
      ),
    );
    expect(remove.code).toBe("42501");
    expect(remove.message).toMatch(PERMISSION_DENIED);

    const aAudit = await systemDb().select().from(auditLogs).where(eq(auditLogs.workspaceId, a.id));
    expect(aAudit.map((r) => r.action).sort()).toEqual(["test.a", "test.a.own"]);
  });

  it("cannot turn row-level security off: it does not own the tables", async () => {
    const disable = await expectPgError(() =>
      db().execute(sql`alter table audit_log disable row level security`),
    );
    expect(disable.code).toBe("42501");
    expect(disable.message).toMatch(/must be owner of table audit_log/);
  });
});
