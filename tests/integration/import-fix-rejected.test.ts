/**
 * Fix and re-import (issue 9 item 8): the rejected-rows file keeps the file's own columns,
 * delimiter and header, with the row number and reason as two extra columns the importer
 * ignores — fix a cell in it, upload it again, and the row is accepted.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  counts,
  countsOf,
  freshTenant,
  importCsv,
  importErrorsOf,
  readAll,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

describe("rejected rows: fix and re-import", () => {
  it("the exported rejects, one cell fixed, import again: accepted, extra columns ignored", async () => {
    const tenant = await freshTenant();
    const file =
      "Teléfono;Nombre;Grupo;Ciudad\r\n" +
      "0981 123 456;Ana;Clientes;Asunción\r\n" +
      "0981 12X 456;Beto;Clientes;Luque, Central\r\n" + // letters: rejected
      "12;Carla;VIP;\r\n"; // too short: rejected
    const first = await importCsv(tenant, file, { fileName: "clientes.csv" });
    expect(countsOf(first)).toEqual(counts({ processed: 3, inserted: 1, invalid: 2 }));

    const rejected = await readAll(
      rejectedRowsCsv({ workspaceId: tenant.workspaceId, importId: first.id }),
    );
    const lines = rejected.replace(/^\uFEFF/, "").split("\r\n");
    // Same delimiter and header as the file, the original cells, then row and reason (a cell
    // holding a `,` is quoted, so a spreadsheet splitting on `,` keeps it whole too).
    expect(lines[0]).toBe("Teléfono;Nombre;Grupo;Ciudad;fila_rechazada;motivo_rechazo");
    expect(lines[1]).toMatch(/^0981 12X 456;Beto;Clientes;"Luque, Central";3;\S/);
    expect(lines[2]).toMatch(/^12;Carla;VIP;;4;\S/);

    // Fix Beto's phone in "Excel" and upload the file as it is.
    const fixed =
      "\uFEFF" + rejected.replace(/^\uFEFF/, "").replace("0981 12X 456", "0981 129 456");
    const again = await importCsv(tenant, fixed, { fileName: "clientes-rechazadas.csv" });
    expect(countsOf(again)).toEqual(counts({ processed: 2, inserted: 1, invalid: 1 }));
    const saved = await contactMap(tenant.workspaceId);
    expect(saved["+595981129456"]).toEqual({
      nombre: "Beto",
      sustantivo: null,
      groups: ["Clientes"],
      // The row number and reason are not attributes.
      attributes: { ciudad: "Luque, Central" },
    });
    // Carla is still rejected, at her row in the fixed file.
    expect((await importErrorsOf(again.id)).map((e) => e.rowNumber)).toEqual([3]);
  });

  it("a headerless (legacy) file's rejects come back with a header naming its columns", async () => {
    const tenant = await freshTenant();
    const first = await importCsv(tenant, "0981 123 456,Sr.,Ana,Clientes\nabc,Sra.,Bea,VIP\n");
    expect(countsOf(first)).toEqual(counts({ processed: 2, inserted: 1, invalid: 1 }));
    const rejected = await readAll(
      rejectedRowsCsv({ workspaceId: tenant.workspaceId, importId: first.id, locale: "en" }),
    );
    const lines = rejected.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("phone,sustantivo,nombre,groups,rejected_row,rejection_reason");
    const again = await importCsv(tenant, rejected.replace("abc,", "0982 200 002,"));
    expect(countsOf(again)).toEqual(counts({ processed: 1, inserted: 1 }));
    expect((await contactMap(tenant.workspaceId))["+595982200002"]).toEqual({
      nombre: "Bea",
      sustantivo: "Sra.",
      groups: ["VIP"],
      attributes: {},
    });
  });
});
