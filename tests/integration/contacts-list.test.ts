/**
 * The contacts list: search by the start of any word of the name (accent/case-insensitive),
 * by phone prefix in the formats people type and by a phone's last digits; filters, sorts,
 * pagination totals, the exact count when cheap and the labelled estimate otherwise.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSearch } from "@/modules/contacts/contact-search";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
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

  it("interprets phone-looking terms as E.164 prefixes and, from 4 digits, phone endings", () => {
    const phone = (prefixes: string[], suffix: string | null) => ({
      kind: "phone",
      prefixes,
      suffix,
    });
    expect(parseSearch("+595 981", "PY")).toEqual(phone(["+595981"], "595981"));
    expect(parseSearch("0981-111", "PY")).toEqual(phone(["+595981111"], "0981111"));
    expect(parseSearch("00549", "PY")).toEqual(phone(["+549"], "00549"));
    expect(parseSearch("595981", "PY")).toEqual(phone(["+595981"], "595981"));
    expect(parseSearch("981", "PY")).toEqual(phone(["+981", "+595981"], null));
    expect(parseSearch("Núñez", "PY")).toEqual({ kind: "words", words: ["Núñez"] });
    expect(parseSearch("maría-josé  O'Brien", "PY")).toEqual({
      kind: "words",
      words: ["maría", "josé", "O", "Brien"],
    });
    expect(parseSearch("  ", "PY")).toBeNull();
  });

  it("finds the start of any word of the name, ignoring accents and case", async () => {
    const names = async (search: string) =>
      (await caller().contacts.list({ search, sort: "nombre", dir: "asc" })).rows.map(
        (r) => r.nombre,
      );
    expect(await names("nunez")).toEqual(["José Núñez", "nuñez, Ana"]);
    expect(await names("Núñez")).toEqual(["José Núñez", "nuñez, Ana"]);
    expect(await names("JOSE NU")).toEqual(["José Núñez"]);
    expect(await names("ana nuñ")).toEqual(["nuñez, Ana"]);
    expect(await names("angela")).toEqual(["Ángela Benítez"]);
    // Any word, not only the first: the "Benítez" and "gonz" cases.
    expect(await names("Benítez")).toEqual(["Ángela Benítez"]);
    expect(await names("benit")).toEqual(["Ángela Benítez"]);
    expect(await names("IMPORT")).toEqual(["Carlos Importado"]);
    // The start of a word only, and every word typed must match.
    expect(await names("enitez")).toEqual([]);
    expect(await names("ana benitez")).toEqual([]);
  });

  it("follows renames: the old name no longer matches, the new one does", async () => {
    const c = await caller().contacts.create({ phone: "0984 765 432", nombre: "Rosa Gómez" });
    expect((await caller().contacts.list({ search: "gomez" })).total).toBe(1);
    await caller().contacts.update({ id: c.id, nombre: "Rosa González" });
    expect((await caller().contacts.list({ search: "gomez" })).total).toBe(0);
    expect((await caller().contacts.list({ search: "gonz" })).rows[0]!.id).toBe(c.id);
    await caller().contacts.update({ id: c.id, phone: "0984 765 999" });
    expect((await caller().contacts.list({ search: "765432" })).total).toBe(0);
    expect((await caller().contacts.list({ search: "765999" })).rows[0]!.id).toBe(c.id);
    await caller().contacts.delete({ id: c.id });
    expect((await caller().contacts.list({ search: "gonz" })).total).toBe(0);
    const left = await systemDb().execute(
      sql`select 1 from contact_search_token where contact_id = ${c.id}`,
    );
    expect(left.rows).toEqual([]);
  });

  it("never finds another workspace's contacts, by word or by phone ending", async () => {
    const other = await createWorkspace({ defaultCountry: "PY" });
    await addMember(other, admin, "admin");
    const theirs = createCaller(contextFor(admin, other.id));
    await theirs.contacts.create({ phone: "0981 111 999", nombre: "José Núñez Otro" });
    expect((await caller().contacts.list({ search: "otro" })).total).toBe(0);
    expect((await caller().contacts.list({ search: "111999" })).total).toBe(0);
    expect((await theirs.contacts.list({ search: "nunez" })).total).toBe(1);
    // Under RLS the token table itself shows only the current workspace's rows.
    const leaked = await withTenant({ workspaceId: ws.id }, (tx) =>
      tx.execute(sql`select 1 from contact_search_token where workspace_id = ${other.id}`),
    );
    expect(leaked.rows).toEqual([]);
  });

  it("treats punctuation as a word break, never as a pattern", async () => {
    expect((await caller().contacts.list({ search: "Zoe 50%_" })).rows).toHaveLength(1);
    expect((await caller().contacts.list({ search: "Zoe 6%" })).rows).toHaveLength(0);
    expect((await caller().contacts.list({ search: "%" })).rows).toHaveLength(0);
    expect((await caller().contacts.list({ search: "(.*)" })).rows).toHaveLength(0);
  });

  it("finds a phone by its last digits (4 or more)", async () => {
    const byEnd = async (search: string) =>
      phonesOf((await caller().contacts.list({ search, sort: "phone", dir: "asc" })).rows);
    expect(await byEnd("1222")).toEqual(["+595981111222"]);
    expect(await byEnd("111 222")).toEqual(["+595981111222"]);
    expect(await byEnd("333444")).toEqual(["+595982333444"]);
    expect(await byEnd("6789")).toEqual(["+5491123456789"]);
    // Three digits are a prefix only (no phone starts with +222 or +595222).
    expect(await byEnd("222")).toEqual([]);
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

  it("counts exactly when cheap and says when a total is an estimate", async () => {
    const big = await createWorkspace({ defaultCountry: "PY" });
    await addMember(big, admin, "admin");
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, source)
          select ${big.id}, '+1555' || lpad(g::text, 7, '0'), 'csv' from generate_series(1, 10050) g`,
    );
    const c = createCaller(contextFor(admin, big.id));
    // No filter: the workspace's maintained counter, exact at any size.
    const page = await c.contacts.list({ page: 3, pageSize: 200, sort: "phone", dir: "asc" });
    expect(page.total).toBe(10_050);
    expect(page.totalIsEstimate).toBe(false);
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
    expect(broad.total).toBeGreaterThan(10_000);
    expect(broad.rows[0]!.phone).toBe("+15550009950");
    // Deleting keeps the counter exact.
    await systemDb().execute(
      sql`delete from contact where workspace_id = ${big.id} and phone like '+155500000%'`,
    );
    expect((await c.contacts.list({})).total).toBe(10_050 - 99);
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
