/**
 * Bulk actions and groups: set-based add/remove/opt-out/delete, audited as one row each;
 * group create/rename/delete with member counts.
 */
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { ensureGroups } from "@/modules/contacts/groups.service";
import { contacts } from "@/modules/contacts/contacts.table";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

describe("contacts: bulk actions and groups", () => {
  let ws: Workspace;
  let admin: User;
  let ids: string[];
  const caller = () => createCaller(contextFor(admin, ws.id));

  beforeAll(async () => {
    ws = await createWorkspace({ defaultCountry: "PY" });
    admin = await createUser();
    await addMember(ws, admin, "admin", "owner");
    ids = [];
    for (let i = 0; i < 6; i++) {
      ids.push(
        (await caller().contacts.create({ phone: `0981 700 00${i}`, nombre: `Bulk ${i}` })).id,
      );
    }
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("adds to a new group by name, then to an existing group by id (idempotent)", async () => {
    const first = await caller().contacts.bulk({
      ids: ids.slice(0, 3),
      action: "addToGroup",
      groupName: "Promo Mayo",
    });
    expect(first.affected).toBe(3);
    const group = (await caller().groups.options({ search: "promo" }))[0]!;
    expect(group.name).toBe("Promo Mayo");
    const again = await caller().contacts.bulk({
      ids: ids.slice(0, 4),
      action: "addToGroup",
      groupId: group.id,
    });
    expect(again.affected).toBe(1);
    // Same name in another case reuses the group.
    const reused = await caller().contacts.bulk({
      ids: [ids[4]!],
      action: "addToGroup",
      groupName: "PROMO MAYO",
    });
    expect(reused.affected).toBe(1);
    const members = await caller().contacts.list({ groupId: group.id });
    expect(members.total).toBe(5);
    const listed = await caller().groups.list({});
    expect(listed.rows.find((g) => g.id === group.id)?.memberCount).toBe(5);
  });

  it("removes from a group", async () => {
    const group = (await caller().groups.options({ search: "Promo Mayo" }))[0]!;
    const res = await caller().contacts.bulk({
      ids: [ids[0]!, ids[1]!, ids[5]!],
      action: "removeFromGroup",
      groupId: group.id,
    });
    expect(res.affected).toBe(2);
    expect((await caller().contacts.list({ groupId: group.id })).total).toBe(3);
    // Group changes are audited too, with the group and the counts.
    const audits = await systemDb()
      .select({ action: auditLogs.action, after: auditLogs.after })
      .from(auditLogs)
      .where(eq(auditLogs.workspaceId, ws.id));
    expect(audits.filter((a) => a.action === "contact.bulk_ungrouped")).toEqual([
      { action: "contact.bulk_ungrouped", after: { count: 2, selected: 3, groupId: group.id } },
    ]);
    expect(audits.filter((a) => a.action === "contact.bulk_grouped")).toHaveLength(3);
    const missing = await trpcErrorOf(caller().contacts.bulk({ ids, action: "removeFromGroup" }));
    expect(missing.code).toBe("BAD_REQUEST");
  });

  it("opts out in bulk with a reason, skipping those already out; one audit row", async () => {
    await caller().contacts.optOut({ id: ids[0]!, reason: "Ya estaba fuera" });
    const noReason = await trpcErrorOf(caller().contacts.bulk({ ids, action: "optOut" }));
    expect(noReason.code).toBe("BAD_REQUEST");
    const res = await caller().contacts.bulk({
      ids: ids.slice(0, 3),
      action: "optOut",
      reason: "Lista de bajas de abril",
    });
    expect(res.affected).toBe(2);
    const out = await caller().contacts.list({ optedOut: "only" });
    expect(out.total).toBe(3);
    expect(out.rows.find((r) => r.id === ids[0])?.optOutReason).toBe("Ya estaba fuera");
    const audit = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "contact.bulk_opted_out")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ count: 2, selected: 3, reason: "Lista de bajas de abril" });
  });

  it("deletes in bulk with one audit row holding the count", async () => {
    const res = await caller().contacts.bulk({ ids: [ids[4]!, ids[5]!], action: "delete" });
    expect(res.affected).toBe(2);
    expect((await caller().contacts.list({})).total).toBe(4);
    const audit = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "contact.bulk_deleted")));
    expect(audit.map((a) => a.after)).toEqual([{ count: 2, selected: 2 }]);
  });

  it("validates bulk input: 1..1000 uuids", async () => {
    expect((await trpcErrorOf(caller().contacts.bulk({ ids: [], action: "delete" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect(
      (await trpcErrorOf(caller().contacts.bulk({ ids: ["nope"], action: "delete" }))).code,
    ).toBe("BAD_REQUEST");
    const tooMany = Array.from({ length: 1001 }, () => crypto.randomUUID());
    expect(
      (await trpcErrorOf(caller().contacts.bulk({ ids: tooMany, action: "delete" }))).code,
    ).toBe("BAD_REQUEST");
  });

  it("creates, renames (unique, case-insensitive) and deletes groups; contacts stay", async () => {
    const g = await caller().groups.create({ name: "Temporal" });
    const dup = await trpcErrorOf(caller().groups.create({ name: "temporal" }));
    expect(dup.code).toBe("CONFLICT");
    expect(
      (dup.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors?.name,
    ).toBeDefined();

    await caller().groups.create({ name: "Otro" });
    const clash = await trpcErrorOf(caller().groups.rename({ id: g.id, name: "OTRO" }));
    expect(clash.code).toBe("CONFLICT");
    const renamed = await caller().groups.rename({ id: g.id, name: "TEMPORAL 2" });
    expect(renamed.name).toBe("TEMPORAL 2");
    // Renaming to a different case of itself is fine.
    expect((await caller().groups.rename({ id: g.id, name: "Temporal 2" })).name).toBe(
      "Temporal 2",
    );

    await caller().contacts.bulk({ ids: ids.slice(0, 2), action: "addToGroup", groupId: g.id });
    await caller().groups.delete({ id: g.id });
    expect((await trpcErrorOf(caller().groups.delete({ id: g.id }))).code).toBe("NOT_FOUND");
    const left = await systemDb().select().from(contacts).where(eq(contacts.id, ids[0]!));
    expect(left).toHaveLength(1);
    const view = await caller().contacts.get({ id: ids[0]! });
    expect(view.groups.map((x) => x.name)).not.toContain("Temporal 2");
  });

  it("lists groups with member counts, search and pagination", async () => {
    const res = await caller().groups.list({ search: "promo" });
    expect(res.total).toBe(1);
    // Members 2, 3 and 4 were left; 4 was deleted since, and its membership went with it.
    expect(res.rows[0]).toMatchObject({ name: "Promo Mayo", memberCount: 2 });
    const all = await caller().groups.list({ page: 1, pageSize: 5 });
    expect(all.rows.map((r) => r.name)).toEqual(
      [...all.rows.map((r) => r.name)].sort((a, b) => a.localeCompare(b)),
    );
  });

  it("ensureGroups maps names case-insensitively in one pass", async () => {
    const map = await withTenant({ workspaceId: ws.id }, (tx) =>
      ensureGroups({ tx, workspaceId: ws.id, names: ["promo mayo", " Nuevo ", "NUEVO", ""] }),
    );
    expect([...map.keys()].sort()).toEqual(["nuevo", "promo mayo"]);
    const promo = (await caller().groups.options({ search: "Promo Mayo" }))[0]!;
    expect(map.get("promo mayo")).toBe(promo.id);
    expect((await caller().groups.options({ search: "nuevo" })).map((g) => g.name)).toEqual([
      "Nuevo",
    ]);
  });
});
