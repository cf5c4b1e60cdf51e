/**
 * Manual contact management through the tRPC procedures (real middleware, real Postgres):
 * create/edit/delete, phone normalisation and duplicates, inline groups, opt-out/in audit.
 */
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskPhone } from "@/lib/logger";
import { auditLogs } from "@/modules/audit/audit.table";
import { contactGroups } from "@/modules/contacts/contacts.table";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
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

/** Field → error codes of the AppError behind a refused call. */
const fieldErrorsOf = (err: TRPCError) =>
  Object.fromEntries(
    Object.entries(
      (err.cause as { fieldErrors?: Record<string, { key: string }[]> } | undefined)?.fieldErrors ??
        {},
    ).map(([field, refs]) => [field, refs.map((r) => r.key)]),
  );

async function auditOf(workspaceId: string, action: string) {
  return systemDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, workspaceId), eq(auditLogs.action, action)));
}

describe("contacts: manual management", () => {
  let ws: Workspace;
  let admin: User;
  let viewer: User;

  beforeAll(async () => {
    ws = await createWorkspace({ defaultCountry: "PY" });
    [admin, viewer] = await Promise.all([createUser(), createUser()]);
    await addMember(ws, admin, "admin", "owner");
    await addMember(ws, viewer, "viewer");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const as = (user: User) => createCaller(contextFor(user, ws.id));

  it("creates a contact with the phone normalised to E.164 for the workspace country", async () => {
    const c = await as(admin).contacts.create({
      phone: "0981 123 456",
      nombre: "  María  ",
      sustantivo: "Sra.",
      attributes: { ciudad: "Asunción" },
    });
    expect(c.phone).toBe("+595981123456");
    expect(c.nombre).toBe("María");
    expect(c.sustantivo).toBe("Sra.");
    expect(c.attributes).toEqual({ ciudad: "Asunción" });
    expect(c.source).toBe("manual");
    expect(c.optedOutAt).toBeNull();
    const fetched = await as(admin).contacts.get({ id: c.id });
    expect(fetched.phone).toBe("+595981123456");
  });

  it("rejects a duplicate phone (in any format) with CONFLICT on the phone field", async () => {
    await as(admin).contacts.create({ phone: "+595 982 000 001" });
    const err = await trpcErrorOf(as(admin).contacts.create({ phone: "(0982) 000-001" }));
    expect(err.code).toBe("CONFLICT");
    expect(fieldErrorsOf(err).phone?.[0]).toBe("contact.phoneTaken");
  });

  it("rejects an invalid phone with BAD_REQUEST and a phone field error", async () => {
    const err = await trpcErrorOf(as(admin).contacts.create({ phone: "12ab34" }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(err).phone?.[0]).toBe("phone.letters");
    const short = await trpcErrorOf(as(admin).contacts.create({ phone: "123" }));
    expect(short.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(short).phone).toBeDefined();
  });

  it("validates attribute keys and the 200-character name limit", async () => {
    const badKey = await trpcErrorOf(
      as(admin).contacts.create({ phone: "0981 555 001", attributes: { "Bad Key": "x" } }),
    );
    expect(badKey.code).toBe("BAD_REQUEST");
    const long = await trpcErrorOf(
      as(admin).contacts.create({ phone: "0981 555 002", nombre: "x".repeat(201) }),
    );
    expect(long.code).toBe("BAD_REQUEST");
  });

  it("rejects attribute keys reserved for fields and group names that would not round-trip", async () => {
    const reserved = await trpcErrorOf(
      as(admin).contacts.create({ phone: "0981 555 003", attributes: { nombre: "x" } }),
    );
    expect(reserved.code).toBe("BAD_REQUEST");
    const pipe = await trpcErrorOf(
      as(admin).contacts.create({ phone: "0981 555 004", groups: ["A|B"] }),
    );
    expect(pipe.code).toBe("BAD_REQUEST");
    expect((await trpcErrorOf(as(admin).groups.create({ name: "x;y" }))).code).toBe("BAD_REQUEST");
  });

  it("creates groups inline and reuses existing ones case-insensitively", async () => {
    const a = await as(admin).contacts.create({
      phone: "0981 200 001",
      groups: ["Clientes VIP", "Zona Norte"],
    });
    const b = await as(admin).contacts.create({
      phone: "0981 200 002",
      groups: ["clientes vip", "CLIENTES VIP"],
    });
    expect(a.groups.map((g) => g.name)).toEqual(["Clientes VIP", "Zona Norte"]);
    expect(b.groups).toHaveLength(1);
    expect(b.groups[0]!.id).toBe(a.groups.find((g) => g.name === "Clientes VIP")!.id);
    expect(b.groups[0]!.name).toBe("Clientes VIP");
    const vip = await systemDb()
      .select()
      .from(contactGroups)
      .where(eq(contactGroups.workspaceId, ws.id));
    expect(vip.filter((g) => g.name.toLowerCase() === "clientes vip")).toHaveLength(1);
  });

  it("edits fields, phone and groups; the new phone must be unique", async () => {
    const c = await as(admin).contacts.create({
      phone: "0981 300 001",
      nombre: "Ana",
      groups: ["Uno"],
    });
    await as(admin).contacts.create({ phone: "0981 300 002" });
    const updated = await as(admin).contacts.update({
      id: c.id,
      nombre: "Ana Pérez",
      sustantivo: "",
      phone: "0981 300 003",
      attributes: { plan: "oro" },
      groups: ["Dos"],
    });
    expect(updated.nombre).toBe("Ana Pérez");
    expect(updated.sustantivo).toBeNull();
    expect(updated.phone).toBe("+595981300003");
    expect(updated.attributes).toEqual({ plan: "oro" });
    expect(updated.groups.map((g) => g.name)).toEqual(["Dos"]);

    const untouched = await as(admin).contacts.update({ id: c.id, sustantivo: "Lic." });
    expect(untouched.nombre).toBe("Ana Pérez");
    expect(untouched.groups.map((g) => g.name)).toEqual(["Dos"]);

    const dup = await trpcErrorOf(as(admin).contacts.update({ id: c.id, phone: "+595981300002" }));
    expect(dup.code).toBe("CONFLICT");
    expect(fieldErrorsOf(dup).phone).toBeDefined();
    const invalid = await trpcErrorOf(as(admin).contacts.update({ id: c.id, phone: "abc" }));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect((await as(admin).contacts.get({ id: c.id })).phone).toBe("+595981300003");
  });

  it("deletes a contact (audited with a masked phone) and 404s afterwards", async () => {
    const c = await as(admin).contacts.create({ phone: "0981 400 001", groups: ["Borrables"] });
    await as(admin).contacts.delete({ id: c.id });
    const err = await trpcErrorOf(as(admin).contacts.get({ id: c.id }));
    expect(err.code).toBe("NOT_FOUND");
    const again = await trpcErrorOf(as(admin).contacts.delete({ id: c.id }));
    expect(again.code).toBe("NOT_FOUND");
    const [row] = (await auditOf(ws.id, "contact.deleted")).filter((r) => r.targetId === c.id);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain("+595981400001");
    expect(row!.before).toEqual({ phone: maskPhone("+595981400001") });
  });

  it("opts a contact out and back in, audited with reason, never logging the full phone", async () => {
    const c = await as(admin).contacts.create({ phone: "0981 500 001" });
    const tooShort = await trpcErrorOf(as(admin).contacts.optOut({ id: c.id, reason: "x" }));
    expect(tooShort.code).toBe("BAD_REQUEST");

    const out = await as(admin).contacts.optOut({ id: c.id, reason: "Pidió BAJA por WhatsApp" });
    expect(out.optedOutAt).toBeInstanceOf(Date);
    expect(out.optOutReason).toBe("Pidió BAJA por WhatsApp");

    const back = await as(admin).contacts.optIn({
      id: c.id,
      reason: "Volvió a suscribirse en tienda",
    });
    expect(back.optedOutAt).toBeNull();
    expect(back.optOutReason).toBeNull();

    const [outRow] = (await auditOf(ws.id, "contact.opted_out")).filter((r) => r.targetId === c.id);
    const [inRow] = (await auditOf(ws.id, "contact.opted_in")).filter((r) => r.targetId === c.id);
    expect(outRow).toMatchObject({
      actorUserId: admin.id,
      targetType: "contact",
      ip: "127.0.0.1",
      before: { optedOutAt: null, optOutReason: null },
      after: { reason: "Pidió BAJA por WhatsApp", phone: maskPhone("+595981500001") },
    });
    expect(inRow?.after).toMatchObject({
      optedOutAt: null,
      reason: "Volvió a suscribirse en tienda",
    });
    expect(inRow?.before).toMatchObject({ optOutReason: "Pidió BAJA por WhatsApp" });
    for (const r of [outRow, inRow]) expect(JSON.stringify(r)).not.toContain("+595981500001");

    // Repeating the current state changes nothing and writes no audit row.
    await as(admin).contacts.optIn({ id: c.id, reason: "Sigue suscrito" });
    expect(
      (await auditOf(ws.id, "contact.opted_in")).filter((r) => r.targetId === c.id),
    ).toHaveLength(1);
  });

  it("lets a viewer read but not write (FORBIDDEN)", async () => {
    const err = await trpcErrorOf(as(viewer).contacts.create({ phone: "0981 600 001" }));
    expect(err.code).toBe("FORBIDDEN");
    const list = await as(viewer).contacts.list({});
    expect(list.total).toBeGreaterThan(0);
    const group = await trpcErrorOf(as(viewer).groups.create({ name: "Nope" }));
    expect(group.code).toBe("FORBIDDEN");
    const bulk = await trpcErrorOf(
      as(viewer).contacts.bulk({ ids: [list.rows[0]!.id], action: "delete" }),
    );
    expect(bulk.code).toBe("FORBIDDEN");
  });
});
