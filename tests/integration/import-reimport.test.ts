/**
 * CSV import against existing data: importing the same file twice changes nothing the
 * second time, a blank cell never wipes what someone typed in by hand, and a dry run reports
 * exactly what a real run would do while writing no contact, group or membership.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { contacts } from "@/modules/contacts/contacts.table";
import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  contactsIn,
  counts,
  countsOf,
  freshTenant,
  groupNamesIn,
  importCsv,
  importErrorsOf,
  membershipRowsIn,
  readAll,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

const FILE =
  "Teléfono,Nombre,Sustantivo,Grupo,Ciudad\r\n" +
  "0981 123 456,María Núñez,Sra.,Clientes|VIP,Asunción\r\n" +
  "0982 200 002,José Ñandú,Sr.,Clientes,\r\n" +
  "0971 300 003,Begoña,,Proveedores,Luque\r\n" +
  "0971 300 003,,,Clientes,\r\n" +
  "no-es,Malo,,,\r\n";

describe("CSV import: re-importing", () => {
  it("the same file twice: the second run is all unchanged and writes nothing", async () => {
    const tenant = await freshTenant();
    const first = await importCsv(tenant, FILE);
    expect(countsOf(first)).toEqual(
      counts({ processed: 5, inserted: 3, duplicates: 1, invalid: 1 }),
    );
    const contactsBefore = await contactsIn(tenant.workspaceId);
    const membershipsBefore = await membershipRowsIn(tenant.workspaceId);
    expect(contactsBefore).toHaveLength(3);
    expect(membershipsBefore).toHaveLength(5);

    const second = await importCsv(tenant, FILE);
    expect(second.status).toBe("completed");
    expect(countsOf(second)).toEqual(
      counts({ processed: 5, inserted: 0, updated: 0, unchanged: 3, duplicates: 1, invalid: 1 }),
    );
    // Not even rewritten: same ids, values and updated_at; no new membership rows.
    expect(await contactsIn(tenant.workspaceId)).toEqual(contactsBefore);
    expect(await membershipRowsIn(tenant.workspaceId)).toEqual(membershipsBefore);
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Clientes", "Proveedores", "VIP"]);
    // Each import keeps its own report.
    expect((await importErrorsOf(second.id)).map((e) => e.rowNumber)).toEqual([6]);
  });

  it("a hand edit is not wiped by a blank cell on re-import; a new value still updates", async () => {
    const tenant = await freshTenant();
    await importCsv(tenant, FILE);
    const where = and(
      eq(contacts.workspaceId, tenant.workspaceId),
      eq(contacts.phone, "+595981123456"),
    );
    await systemDb()
      .update(contacts)
      .set({
        nombre: "María Núñez (editado)",
        sustantivo: "Dra.",
        attributes: { ciudad: "Asunción", nota: "a mano" },
      })
      .where(where);

    const blank =
      "Teléfono,Nombre,Sustantivo,Grupo,Ciudad\n" +
      "0981 123 456,,,Clientes,\n" +
      "0982 200 002,,,,\n";
    const again = await importCsv(tenant, blank);
    expect(countsOf(again)).toEqual(counts({ processed: 2, unchanged: 2 }));
    expect((await contactMap(tenant.workspaceId))["+595981123456"]).toEqual({
      nombre: "María Núñez (editado)",
      sustantivo: "Dra.",
      groups: ["Clientes", "VIP"],
      attributes: { ciudad: "Asunción", nota: "a mano" },
    });

    const changed = "Teléfono,Nombre,Ciudad\n0981 123 456,María N. Núñez,Luque\n";
    const third = await importCsv(tenant, changed);
    expect(countsOf(third)).toEqual(counts({ processed: 1, updated: 1 }));
    expect((await contactMap(tenant.workspaceId))["+595981123456"]).toEqual({
      nombre: "María N. Núñez",
      sustantivo: "Dra.",
      groups: ["Clientes", "VIP"],
      // Attributes merge: the file's key wins, other keys stay.
      attributes: { ciudad: "Luque", nota: "a mano" },
    });
  });
});

describe("CSV import: dry run", () => {
  it("counts what a real run would do, writes no contact/group/membership, keeps the rejected rows", async () => {
    const tenant = await freshTenant();
    await importCsv(
      tenant,
      "telefono,nombre,grupo\n0981 123 456,Ana,Clientes\n0982 200 002,Beto,Clientes\n",
    );
    const contactsBefore = await contactsIn(tenant.workspaceId);
    const membershipsBefore = await membershipRowsIn(tenant.workspaceId);

    const file =
      "telefono,nombre,grupo\n" +
      "0981 123 456,Ana María,Nuevos\n" + // updated (new name) and a new group
      "0982 200 002,Beto,Clientes\n" + // unchanged
      "0971 300 003,Carla,Nuevos\n" + // inserted
      "(0971) 300-003,,Clientes\n" + // duplicate of the row above
      "letras,Malo,\n"; // invalid, row 6

    const dry = await importCsv(tenant, file, { dryRun: true });
    expect(dry).toMatchObject({ status: "completed", dryRun: true });
    const expected = counts({
      processed: 5,
      inserted: 1,
      updated: 1,
      unchanged: 1,
      duplicates: 1,
      invalid: 1,
    });
    expect(countsOf(dry)).toEqual(expected);

    expect(await contactsIn(tenant.workspaceId)).toEqual(contactsBefore);
    expect(await membershipRowsIn(tenant.workspaceId)).toEqual(membershipsBefore);
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Clientes"]);
    expect(await importErrorsOf(dry.id)).toEqual([
      { rowNumber: 6, reason: "phone.letters", raw: "letras,Malo," },
    ]);
    const report = await readAll(
      rejectedRowsCsv({ workspaceId: tenant.workspaceId, importId: dry.id, locale: "en" }),
    );
    expect(report.split("\r\n")).toEqual([
      "\uFEFFtelefono,nombre,grupo,rejected_row,rejection_reason",
      expect.stringMatching(/^letras,Malo,,6,\S.*$/),
      "",
    ]);

    // The real run of the same file does exactly what the dry run announced.
    const real = await importCsv(tenant, file);
    expect(real.dryRun).toBe(false);
    expect(countsOf(real)).toEqual(expected);
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595971300003": {
        nombre: "Carla",
        sustantivo: null,
        groups: ["Clientes", "Nuevos"],
        attributes: {},
      },
      "+595981123456": {
        nombre: "Ana María",
        sustantivo: null,
        groups: ["Clientes", "Nuevos"],
        attributes: {},
      },
      "+595982200002": { nombre: "Beto", sustantivo: null, groups: ["Clientes"], attributes: {} },
    });
  });
});
