/**
 * CSV import, row by row: one person typed four ways is one contact (later names win, blanks
 * never erase, groups add up), bad rows are rejected with their spreadsheet row number and a
 * reason while good rows still land, and a file with only a header completes with nothing.
 */
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import { localizeReason } from "@/modules/contacts/import/reason-text";
import { closeDatabase } from "@/server/db/client";
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
  upload,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

describe("CSV import: duplicates inside the file", () => {
  it("four spellings of one phone are one contact; duplicates = repeats", async () => {
    const tenant = await freshTenant();
    const text =
      "telefono,nombre,sustantivo,grupo,ciudad\n" +
      "+595 981 123456,María,,Clientes,Asunción\n" +
      "595981123456,,Sra.,VIP,\n" +
      "0981 123 456,María José,,clientes,Luque\n" +
      "(0981) 123-456,,,Norte|VIP,\n" +
      "0982 222 333,Pedro,,Clientes,\n";

    const done = await importCsv(tenant, text);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 5, inserted: 2, duplicates: 3 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        // The later non-empty name wins; the blank after it does not erase it.
        nombre: "María José",
        sustantivo: "Sra.",
        // Unioned, case-insensitively: `clientes` is the group `Clientes`.
        groups: ["Clientes", "Norte", "VIP"],
        attributes: { ciudad: "Luque" },
      },
      "+595982222333": { nombre: "Pedro", sustantivo: null, groups: ["Clientes"], attributes: {} },
    });
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Clientes", "Norte", "VIP"]);
    expect(await membershipRowsIn(tenant.workspaceId)).toHaveLength(4);
    expect(await importErrorsOf(done.id)).toEqual([]);
  });
});

describe("CSV import: invalid rows", () => {
  it("rejects each bad row with its row number and reason; good rows still land", async () => {
    const tenant = await freshTenant();
    const text =
      "telefono,nombre,grupo\n" + // row 1
      "0981 123 456,Ana,Clientes\n" + // 2 ok
      "abc-def,Beto,Fantasma\n" + // 3 letters
      ",Carla,Fantasma\n" + // 4 empty phone
      "123,Dario,\n" + // 5 too short
      "0981 12,Eva,\n" + // 6 not a valid number
      "0982 200 002,Fede,VIP\n" + // 7 ok
      "+1 555 0100,Gabi,\n"; // 8 not a valid number either

    const done = await importCsv(tenant, text);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 7, inserted: 2, invalid: 5 }));
    expect(Object.keys(await contactMap(tenant.workspaceId))).toEqual([
      "+595981123456",
      "+595982200002",
    ]);
    // A group named only by rejected rows is not created.
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Clientes", "VIP"]);

    const errors = await importErrorsOf(done.id);
    expect(errors.map((e) => [e.rowNumber, e.raw])).toEqual([
      [3, "abc-def,Beto,Fantasma"],
      [4, ",Carla,Fantasma"],
      [5, "123,Dario,"],
      [6, "0981 12,Eva,"],
      [8, "+1 555 0100,Gabi,"],
    ]);
    expect(errors.map((e) => e.reason)).toEqual([
      "phone.letters",
      "phone.empty",
      "phone.tooShort",
      'phone.invalidForCountry {"country":"PY"}',
      expect.stringMatching(/^phone\.invalidForCountry /),
    ]);

    // The downloadable report: BOM for Excel, the file's own columns, then the row number and
    // the reason (in the reader's language) as two extra columns.
    const csv = await readAll(
      rejectedRowsCsv({ workspaceId: tenant.workspaceId, importId: done.id }),
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const records = parse(csv.slice(1)) as string[][];
    expect(records).toEqual([
      ["telefono", "nombre", "grupo", "fila_rechazada", "motivo_rechazo"],
      ["abc-def", "Beto", "Fantasma", "3", localizeReason(errors[0]!.reason, "es")],
      ["", "Carla", "Fantasma", "4", localizeReason(errors[1]!.reason, "es")],
      ["123", "Dario", "", "5", localizeReason(errors[2]!.reason, "es")],
      ["0981 12", "Eva", "", "6", localizeReason(errors[3]!.reason, "es")],
      // Content that a spreadsheet would read as a formula is defused with a `'`.
      ["'+1 555 0100", "Gabi", "", "8", localizeReason(errors[4]!.reason, "es")],
    ]);
    const english = await readAll(
      rejectedRowsCsv({ workspaceId: tenant.workspaceId, importId: done.id, locale: "en" }),
    );
    expect(english.slice(1).split("\r\n").slice(0, 2)).toEqual([
      "telefono,nombre,grupo,rejected_row,rejection_reason",
      `abc-def,Beto,Fantasma,3,${localizeReason(errors[0]!.reason, "en")}`,
    ]);
  });

  // Blank lines count as rows (the parser keeps them: `skip_empty_lines` would drop them before
  // `rowNumber++` and report every later row one too early, here 3 and 6 instead of 4 and 7).
  it("row numbers are spreadsheet rows even after a blank line", async () => {
    const tenant = await freshTenant();
    // As Excel shows it: 1 header, 2 Ana, 3 (empty), 4 the bad row, 5 a row of empty cells,
    // 6 Beto, 7 bad. A blank line is a row there like any other: the report must point at
    // the row the user will look at (a line of empty cells, `,`, is already counted).
    const text = "telefono,nombre\n0981 123 456,Ana\n\nxyz,Malo\n,\n0982 200 002,Beto\n12,Corto\n";

    const done = await importCsv(tenant, text);
    expect(countsOf(done)).toEqual(counts({ processed: 4, inserted: 2, invalid: 2 }));
    expect((await importErrorsOf(done.id)).map((e) => e.rowNumber)).toEqual([4, 7]);
  });

  it("a file with no valid row completes with every row rejected", async () => {
    const tenant = await freshTenant();
    const done = await importCsv(tenant, "telefono,nombre\nxx,Ana\n1,Beto\n");
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 2, invalid: 2 }));
    expect(await contactsIn(tenant.workspaceId)).toEqual([]);
    expect((await importErrorsOf(done.id)).map((e) => e.rowNumber)).toEqual([2, 3]);
  });
});

describe("CSV import: header only", () => {
  it.each([
    ["with a trailing newline", "telefono,nombre,grupo\r\n"],
    ["without one", "Teléfono;Nombre;Grupo"],
  ])("completes with 0 rows (%s)", async (_label, text) => {
    const tenant = await freshTenant();
    const uploaded = await upload(tenant, text);
    expect(uploaded.detected).toMatchObject({ hasHeader: true, sample: [] });

    const done = await importCsv(tenant, text);
    expect(done.status).toBe("completed");
    expect(done.errorMessage).toBeNull();
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(countsOf(done)).toEqual(counts({}));
    expect(await contactsIn(tenant.workspaceId)).toEqual([]);
    expect(await groupNamesIn(tenant.workspaceId)).toEqual([]);
    expect(await importErrorsOf(done.id)).toEqual([]);
  });
});
