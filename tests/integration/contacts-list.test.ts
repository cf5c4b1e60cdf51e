/**
 * The contacts list: prefix search by name (accent/case-insensitive) and by phone in the
 * formats people type, filters, sorts, pagination totals, and the capped count.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSearch } from "@/modules/contacts/contact-search";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

describe("contacts: list, search, filters", () => {
  let ws: Workspace;
  let admin: User;
  const caller = () => createCaller(contextFor(admin, ws.id));
  const phonesOf = (rows: { phone: string }[]) => rows.map((r) => r.phone);

  beforeAll(async () => {
    ws = await createWorkspace({ defaultCountry: "PY" });
    admin = await createUser();
    await addMember(ws, admin, "admin", "owner");
    const c = caller();
    await c.contacts.create({ phone: "0981 111 111", nombre: "José Núñez", groups: ["Norte"] });
    await c.contacts.create({
      phone: "0981 111 222",
      nombre: "nuñez, Ana",
      groups: ["Norte", "Sur"],
    });
    await c.contacts.create({ phone: "0982 333 444", nombre: "Ángela Benítez", groups: ["Sur"] });
    await c.contacts.create({ phone: "+54 9 11 2345 6789", nombre: "Zoe 50%_off" });
    await c.contacts.create({ phone: "0971 555 666", nombre: null });
    // An imported one (source csv) — written as the owner, as the importer would.
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, nombre, source) values (${ws.id}, '+595991000001', 'Carlos Importado', 'csv')`,
    );
    const optOut = await c.contacts.create({ phone: "0983 000 001", nombre: "Beto Baja" });
    await c.contacts.optOut({ id: optOut.id, reason: "No quiere mensajes" });
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("interprets phone-looking terms as E.164 prefixes", () => {
    expect(parseSearch("+595 981", "PY")).toEqual({ kind: "phone", prefixes: ["+595981"] });
    expect(parseSearch("0981-111", "PY")).toEqual({ kind: "phone", prefixes: ["+595981111"] });
    expect(parseSearch("00549", "PY")).toEqual({ kind: "phone", prefixes: ["+549"] });
    expect(parseSearch("595981", "PY")).toEqual({ kind: "phone", prefixes: ["+595981"] });
    expect(parseSearch("981", "PY")).toEqual({ kind: "phone", prefixes: ["+981", "+595981"] });
    expect(parseSearch("Núñez", "PY")).toEqual({ kind: "name", prefix: "Núñez" });
    expect(parseSearch("  ", "PY")).toBeNull();
  });

  it("finds names by prefix, ignoring accents and case", async () => {
    const res = await caller().contacts.list({ search: "nunez" });
    expect(res.rows.map((r) => r.nombre)).toEqual(["nuñez, Ana"]);
    const jose = await caller().contacts.list({ search: "JOSE NU" });
    expect(jose.rows.map((r) => r.nombre)).toEqual(["José Núñez"]);
    const angela = await caller().contacts.list({ search: "angela" });
    expect(angela.rows.map((r) => r.nombre)).toEqual(["Ángela Benítez"]);
    // Only prefixes: "benitez" is not the start of the name.
    expect((await caller().contacts.list({ search: "benitez" })).total).toBe(0);
  });

  it("treats LIKE wildcards in the term literally", async () => {
    expect((await caller().contacts.list({ search: "Zoe 50%_" })).rows).toHaveLength(1);
    expect((await caller().contacts.list({ search: "Zoe 5%" })).rows).toHaveLength(0);
    expect((await caller().contacts.list({ search: "%" })).rows).toHaveLength(0);
  });

  it("finds phones typed in national, international and partial formats", async () => {
    for (const term of [
      "0981 111",
      "+595 981 111",
      "595981111",
      "(0981) 111-",
      "981 111",
      "00595981111",
    ]) {
      const res = await caller().contacts.list({ search: term, sort: "phone", dir: "asc" });
      expect(phonesOf(res.rows), term).toEqual(["+595981111111", "+595981111222"]);
    }
    const ar = await caller().contacts.list({ search: "+54 9 11" });
    expect(phonesOf(ar.rows)).toEqual(["+5491123456789"]);
    expect((await caller().contacts.list({ search: "0999" })).total).toBe(0);
  });

  it("filters by group, source and opt-out state", async () => {
    const groups = await caller().groups.options({});
    const norte = groups.find((g) => g.name === "Norte")!;
    const inNorte = await caller().contacts.list({ groupId: norte.id, sort: "phone", dir: "asc" });
    expect(phonesOf(inNorte.rows)).toEqual(["+595981111111", "+595981111222"]);
    expect(inNorte.rows[1]!.groups.map((g) => g.name)).toEqual(["Norte", "Sur"]);

    const csv = await caller().contacts.list({ source: "csv" });
    expect(phonesOf(csv.rows)).toEqual(["+595991000001"]);
    expect((await caller().contacts.list({ source: "manual" })).total).toBe(6);

    const only = await caller().contacts.list({ optedOut: "only" });
    expect(only.rows.map((r) => r.nombre)).toEqual(["Beto Baja"]);
    expect(only.rows[0]!.optOutReason).toBe("No quiere mensajes");
    expect((await caller().contacts.list({ optedOut: "exclude" })).total).toBe(6);

    const combined = await caller().contacts.list({ groupId: norte.id, search: "jose" });
    expect(combined.rows.map((r) => r.nombre)).toEqual(["José Núñez"]);
  });

  it("sorts by name, phone and creation date in both directions", async () => {
    const byName = await caller().contacts.list({ sort: "nombre", dir: "asc" });
    const names = byName.rows.map((r) => r.nombre);
    expect(names.slice(0, 6)).toEqual([
      "Ángela Benítez",
      "Beto Baja",
      "Carlos Importado",
      "José Núñez",
      "nuñez, Ana",
      "Zoe 50%_off",
    ]);
    expect(names[6]).toBeNull();
    const byNameDesc = await caller().contacts.list({ sort: "nombre", dir: "desc" });
    expect(byNameDesc.rows[1]!.nombre).toBe("Zoe 50%_off");

    const byPhone = await caller().contacts.list({ sort: "phone", dir: "asc" });
    const phones = phonesOf(byPhone.rows);
    expect(phones).toEqual([...phones].sort());
    const newest = await caller().contacts.list({ sort: "createdAt", dir: "desc" });
    expect(newest.rows[0]!.nombre).toBe("Beto Baja");
    const oldest = await caller().contacts.list({ sort: "createdAt", dir: "asc" });
    expect(oldest.rows[0]!.nombre).toBe("José Núñez");
  });

  it("sorts and paginates filtered results too", async () => {
    const first = await caller().contacts.list({
      optedOut: "exclude",
      sort: "nombre",
      dir: "asc",
      pageSize: 10,
    });
    expect(first.total).toBe(6);
    expect(first.rows.map((r) => r.nombre)).toEqual([
      "Ángela Benítez",
      "Carlos Importado",
      "José Núñez",
      "nuñez, Ana",
      "Zoe 50%_off",
      null,
    ]);
    const desc = await caller().contacts.list({ source: "manual", sort: "phone", dir: "desc" });
    expect(desc.rows[0]!.phone).toBe("+595983000001");
    const past = await caller().contacts.list({ optedOut: "exclude", page: 3, pageSize: 10 });
    expect(past.rows).toHaveLength(0);
    expect(past.total).toBe(6);
  });

  it("paginates server-side with exact totals", async () => {
    const p1 = await caller().contacts.list({ page: 1, pageSize: 10, sort: "phone", dir: "asc" });
    expect(p1.total).toBe(7);
    expect(p1.totalIsEstimate).toBe(false);
    expect(p1.rows).toHaveLength(7);
    const p2 = await caller().contacts.list({ page: 2, pageSize: 10 });
    expect(p2.rows).toHaveLength(0);
    expect(p2.total).toBe(7);
  });

  it("caps the count at 10,000 and says it is an estimate beyond that", async () => {
    const big = await createWorkspace({ defaultCountry: "PY" });
    await addMember(big, admin, "admin");
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, source)
          select ${big.id}, '+1555' || lpad(g::text, 7, '0'), 'csv' from generate_series(1, 10050) g`,
    );
    const c = createCaller(contextFor(admin, big.id));
    const page = await c.contacts.list({ page: 3, pageSize: 200, sort: "phone", dir: "asc" });
    expect(page.total).toBe(10_000);
    expect(page.totalIsEstimate).toBe(true);
    expect(page.rows).toHaveLength(200);
    expect(page.rows[0]!.phone).toBe("+15550000401");
    const filtered = await c.contacts.list({
      search: "+1555000001",
      pageSize: 10,
      sort: "phone",
      dir: "asc",
    });
    expect(filtered.total).toBe(10);
    expect(filtered.totalIsEstimate).toBe(false);
    expect(filtered.rows[0]!.phone).toBe("+15550000010");
    // Many matches through a filter: still capped, and the page is in the asked order.
    const broad = await c.contacts.list({
      source: "csv",
      page: 2,
      pageSize: 100,
      sort: "phone",
      dir: "desc",
    });
    expect(broad.totalIsEstimate).toBe(true);
    expect(broad.rows[0]!.phone).toBe("+15550009950");
  });

  it("validates list input (page size bounds)", async () => {
    await expect(caller().contacts.list({ pageSize: 500 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller().contacts.list({ pageSize: 5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
