/**
 * Tenant isolation: a member of workspace B cannot see or touch workspace A's contacts or
 * groups through any contacts/groups procedure, and A's data stays unchanged.
 */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactGroupMembers, contacts } from "@/modules/contacts/contacts.table";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

describe("contacts: tenant isolation", () => {
  let wsA: Workspace;
  let wsB: Workspace;
  let alice: User;
  let bob: User;
  let contactA: string;
  let groupA: string;
  const asAlice = () => createCaller(contextFor(alice, wsA.id));
  const asBob = () => createCaller(contextFor(bob, wsB.id));

  beforeAll(async () => {
    [wsA, wsB] = await Promise.all([
      createWorkspace({ defaultCountry: "PY" }),
      createWorkspace({ defaultCountry: "PY" }),
    ]);
    [alice, bob] = await Promise.all([createUser(), createUser()]);
    await addMember(wsA, alice, "admin", "owner");
    await addMember(wsB, bob, "admin", "owner");
    const c = await asAlice().contacts.create({
      phone: "0981 800 001",
      nombre: "Secreto",
      groups: ["Grupo A"],
    });
    contactA = c.id;
    groupA = c.groups[0]!.id;
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("B cannot get, update, delete, opt out or bulk A's contact", async () => {
    expect(await codeOf(asBob().contacts.get({ id: contactA }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob().contacts.update({ id: contactA, nombre: "Hackeado" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(asBob().contacts.delete({ id: contactA }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob().contacts.optOut({ id: contactA, reason: "sabotaje" }))).toBe(
      "NOT_FOUND",
    );
    for (const action of ["delete", "optOut"] as const) {
      const res = await asBob().contacts.bulk({ ids: [contactA], action, reason: "sabotaje" });
      expect(res.affected).toBe(0);
    }
    const add = await asBob().contacts.bulk({
      ids: [contactA],
      action: "addToGroup",
      groupName: "De B",
    });
    expect(add.affected).toBe(0);
  });

  it("B cannot use or touch A's groups", async () => {
    expect(
      await codeOf(
        asBob().contacts.bulk({ ids: [contactA], action: "addToGroup", groupId: groupA }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(
        asBob().contacts.bulk({ ids: [contactA], action: "removeFromGroup", groupId: groupA }),
      ),
    ).toBe("NOT_FOUND");
    expect(await codeOf(asBob().groups.rename({ id: groupA, name: "x" }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob().groups.delete({ id: groupA }))).toBe("NOT_FOUND");
    // Filtering by A's group id shows nothing (and nothing of A's).
    expect((await asBob().contacts.list({ groupId: groupA })).total).toBe(0);
    expect((await asBob().groups.list({})).rows.map((g) => g.name)).not.toContain("Grupo A");
  });

  it("B's list and search never show A's contacts", async () => {
    const all = await asBob().contacts.list({});
    expect(all.rows.map((r) => r.id)).not.toContain(contactA);
    expect((await asBob().contacts.list({ search: "Secreto" })).total).toBe(0);
    expect((await asBob().contacts.list({ search: "0981 800" })).total).toBe(0);
  });

  it("B may hold the same phone: uniqueness is per workspace", async () => {
    const mine = await asBob().contacts.create({ phone: "+595981800001" });
    expect(mine.phone).toBe("+595981800001");
  });

  it("a non-member naming A as the workspace is FORBIDDEN", async () => {
    const intruder = createCaller(contextFor(bob, wsA.id));
    expect(await codeOf(intruder.contacts.list({}))).toBe("FORBIDDEN");
  });

  it("leaves A's data unchanged", async () => {
    const [row] = await systemDb().select().from(contacts).where(eq(contacts.id, contactA));
    expect(row).toMatchObject({ nombre: "Secreto", optedOutAt: null, workspaceId: wsA.id });
    const memberships = await systemDb()
      .select()
      .from(contactGroupMembers)
      .where(eq(contactGroupMembers.contactId, contactA));
    expect(memberships.map((m) => m.groupId)).toEqual([groupA]);
    const view = await asAlice().contacts.get({ id: contactA });
    expect(view.groups.map((g) => g.name)).toEqual(["Grupo A"]);
  });
});
