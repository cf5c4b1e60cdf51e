/**
 * What an import may change (issue 9 item 7): "add new and update existing", "only add new"
 * and "update only empty fields", each with its change list — per field, before and after —
 * read back as the result's sample and as the full CSV.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { contacts } from "@/modules/contacts/contacts.table";
import { importChangesCsv } from "@/modules/contacts/import/changes-csv";
import { listImportChanges } from "@/modules/contacts/imports-changes.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  counts,
  countsOf,
  freshTenant,
  importCsv,
  readAll,
  type Tenant,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

const FIRST =
  "telefono,nombre,sustantivo,grupo,ciudad\n" +
  "0981 123 456,María Núñez,,Clientes,Asunción\n" +
  "0982 200 002,José Ñandú,Sr.,Clientes,\n";

// The same people again: new name for María, a salutation, a city for José, a new group,
// and a new contact.
const SECOND =
  "telefono,nombre,sustantivo,grupo,ciudad\n" +
  "0981 123 456,María N. Núñez,Sra.,VIP,Luque\n" +
  "0982 200 002,José Ñ.,Dr.,VIP,Luque\n" +
  "0971 300 003,Carla,,VIP,\n";

/** María renamed by hand after the first import, as someone would in the contact form. */
async function renameByHand(tenant: Tenant) {
  await systemDb()
    .update(contacts)
    .set({ nombre: "María José Núñez (a mano)" })
    .where(and(eq(contacts.workspaceId, tenant.workspaceId), eq(contacts.phone, "+595981123456")));
}

/** The change list, by phone and field (parts written in parallel interleave their rows). */
const changesOf = async (tenant: Tenant, importId: string) =>
  (await listImportChanges({ workspaceId: tenant.workspaceId, importId, limit: 100 }))
    .map(({ phone, field, before, after }) => ({ phone, field, before, after }))
    .sort((a, b) => `${a.phone} ${a.field}`.localeCompare(`${b.phone} ${b.field}`));

describe("import modes", () => {
  it("only empty fields: a hand-renamed contact keeps its name; the change list says what changed", async () => {
    const tenant = await freshTenant();
    await importCsv(tenant, FIRST);
    await renameByHand(tenant);

    const run = await importCsv(tenant, SECOND, { mode: "fillEmpty" });
    expect(countsOf(run)).toEqual(counts({ processed: 3, inserted: 1, updated: 2 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        nombre: "María José Núñez (a mano)",
        sustantivo: "Sra.",
        groups: ["Clientes", "VIP"],
        attributes: { ciudad: "Asunción" },
      },
      "+595982200002": {
        nombre: "José Ñandú",
        sustantivo: "Sr.",
        groups: ["Clientes", "VIP"],
        attributes: { ciudad: "Luque" },
      },
      "+595971300003": { nombre: "Carla", sustantivo: null, groups: ["VIP"], attributes: {} },
    });
    expect(await changesOf(tenant, run.id)).toEqual([
      { phone: "+595981123456", field: "sustantivo", before: null, after: "Sra." },
      { phone: "+595982200002", field: "attributes.ciudad", before: null, after: "Luque" },
    ]);
    expect(run.counts).toMatchObject({ changes: 2, changesListed: 2 });
    const csv = await readAll(
      importChangesCsv({ workspaceId: tenant.workspaceId, importId: run.id, locale: "en" }),
    );
    const [header, ...lines] = csv.split("\r\n");
    expect(header).toBe("\uFEFFphone,field,before,after");
    expect(lines.sort()).toEqual([
      "",
      expect.stringMatching(/^'?\+595981123456,sustantivo,,Sra\.$/),
      expect.stringMatching(/^'?\+595982200002,attributes\.ciudad,,Luque$/),
    ]);
  });

  it("add new and update existing (the default) overwrites, and lists the overwrite", async () => {
    const tenant = await freshTenant();
    await importCsv(tenant, FIRST);
    await renameByHand(tenant);

    const run = await importCsv(tenant, SECOND);
    expect(countsOf(run)).toEqual(counts({ processed: 3, inserted: 1, updated: 2 }));
    expect((await contactMap(tenant.workspaceId))["+595981123456"]!.nombre).toBe("María N. Núñez");
    expect(await changesOf(tenant, run.id)).toEqual([
      { phone: "+595981123456", field: "attributes.ciudad", before: "Asunción", after: "Luque" },
      {
        phone: "+595981123456",
        field: "nombre",
        before: "María José Núñez (a mano)",
        after: "María N. Núñez",
      },
      { phone: "+595981123456", field: "sustantivo", before: null, after: "Sra." },
      { phone: "+595982200002", field: "attributes.ciudad", before: null, after: "Luque" },
      { phone: "+595982200002", field: "nombre", before: "José Ñandú", after: "José Ñ." },
      { phone: "+595982200002", field: "sustantivo", before: "Sr.", after: "Dr." },
    ]);
  });

  it("only add new: existing contacts stay exactly as they are, groups included", async () => {
    const tenant = await freshTenant();
    await importCsv(tenant, FIRST);
    await renameByHand(tenant);
    const before = await contactMap(tenant.workspaceId);

    const run = await importCsv(tenant, SECOND, { mode: "insertOnly" });
    expect(countsOf(run)).toEqual(counts({ processed: 3, inserted: 1, unchanged: 2 }));
    const after = await contactMap(tenant.workspaceId);
    expect(after["+595981123456"]).toEqual(before["+595981123456"]);
    expect(after["+595982200002"]).toEqual(before["+595982200002"]);
    expect(after["+595971300003"]).toMatchObject({ nombre: "Carla", groups: ["VIP"] });
    expect(await changesOf(tenant, run.id)).toEqual([]);
  });

  it("a dry run lists the changes it would make and makes none", async () => {
    const tenant = await freshTenant();
    await importCsv(tenant, FIRST);
    const before = await contactMap(tenant.workspaceId);
    const dry = await importCsv(tenant, SECOND, { mode: "fillEmpty", dryRun: true });
    expect(await contactMap(tenant.workspaceId)).toEqual(before);
    expect(await changesOf(tenant, dry.id)).toEqual([
      { phone: "+595981123456", field: "sustantivo", before: null, after: "Sra." },
      { phone: "+595982200002", field: "attributes.ciudad", before: null, after: "Luque" },
    ]);
  });
});
