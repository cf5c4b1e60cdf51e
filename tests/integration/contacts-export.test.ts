/**
 * CSV export: the pure row formatting (CSV-injection safe, importer's column names) and the
 * streamed file (BOM, filters, keyset pages, tenant scope) read back with csv-parse.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contactCsvHeader,
  contactCsvLine,
  exportAttributeColumns,
  exportContactsCsv,
} from "@/modules/contacts/contacts-export";
import { applyMapping } from "@/modules/contacts/import/apply-mapping";
import { toCsvLine, unescapeCsvCell } from "@/modules/contacts/import/csv-escape";
import { detectFromHead } from "@/modules/contacts/import/detect";
import { normalisePhone } from "@/modules/contacts/phone";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";
import { contactsIn, freshTenant, importCsv } from "../helpers/import";

const execFileAsync = promisify(execFile);

/** The phone column as Python's `csv` module reads the file: another reader, no guard undone. */
async function phonesReadByPython(bytes: Buffer): Promise<string[]> {
  const script =
    "import csv, io, json, sys\n" +
    "rows = list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode('utf-8-sig'), newline='')))\n" +
    "print(json.dumps([r[0] for r in rows[1:]]))";
  const child = execFileAsync("python3", ["-c", script], { encoding: "utf8" });
  child.child.stdin!.end(bytes);
  return JSON.parse((await child).stdout) as string[];
}

/** The raw bytes as text, keeping the BOM (Response.text() would strip it). */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** What the importer sees: BOM dropped, CSV parsed, the `'` guard undone. */
function parseExport(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows = parse(text.slice(1), { relax_column_count: false }) as string[][];
  return rows.map((r) => r.map(unescapeCsvCell));
}

describe("contacts export: row formatting", () => {
  it("writes the importer's header names, then one column per attribute key", () => {
    expect(contactCsvHeader(["ciudad", "plan"])).toBe(
      "numero,nombre,sustantivo,grupo,opted_out_at,ciudad,plan\r\n",
    );
    expect(exportAttributeColumns(["nombre", "zona", "grupo"])).toEqual(["zona"]);
  });

  it("guards formula-looking cells and quotes delimiters, quotes and line breaks", () => {
    const line = contactCsvLine(
      {
        phone: "+595981123456",
        nombre: '=HYPERLINK("http://x")',
        sustantivo: "@Sr",
        optedOutAt: new Date("2025-01-02T03:04:05.000Z"),
        attributes: { nota: '-1, dijo\n"hola"', extra: "\tTAB", vacio: "", otra: "Juan;=cmd" },
        groups: ["VIP", "Zona, Norte"],
      },
      ["nota", "extra", "falta", "otra"],
    );
    // A cell holding `;` or a tab is quoted too: Excel in a Spanish locale splits on `;`.
    expect(line).toBe(
      `+595981123456,"'=HYPERLINK(""http://x"")",'@Sr,"VIP|Zona, Norte",2025-01-02T03:04:05.000Z,` +
        `"'-1, dijo\n""hola""","'\tTAB",,"Juan;=cmd"\r\n`,
    );
    const [cells] = parse(line) as string[][];
    expect(cells!.map(unescapeCsvCell)).toEqual([
      "+595981123456",
      '=HYPERLINK("http://x")',
      "@Sr",
      "VIP|Zona, Norte",
      "2025-01-02T03:04:05.000Z",
      '-1, dijo\n"hola"',
      "\tTAB",
      "",
      "Juan;=cmd",
    ]);
  });

  it("leaves blanks for missing values", () => {
    expect(
      contactCsvLine(
        {
          phone: "+595981000000",
          nombre: null,
          sustantivo: null,
          optedOutAt: null,
          attributes: null,
          groups: [],
        },
        ["a"],
      ),
    ).toBe("+595981000000,,,,,\r\n");
  });

  it("writes an E.164 cell as is and guards every other cell starting with +", () => {
    const cells = ["+595981123456", "+1", "+595 981", "+595981123456x", "+1234567890123456"];
    expect(toCsvLine(cells)).toBe(
      "+595981123456,+1,'+595 981,'+595981123456x,'+1234567890123456\r\n",
    );
  });
});

describe("contacts export: streamed file", () => {
  let ws: Workspace;
  let other: Workspace;
  let admin: User;

  beforeAll(async () => {
    [ws, other] = await Promise.all([
      createWorkspace({ defaultCountry: "PY" }),
      createWorkspace({ defaultCountry: "PY" }),
    ]);
    admin = await createUser();
    await addMember(ws, admin, "admin", "owner");
    await addMember(other, admin, "admin");
    const c = createCaller(contextFor(admin, ws.id));
    await c.contacts.create({
      phone: "0981 900 001",
      nombre: "Núñez, José",
      sustantivo: "Sr.",
      groups: ["VIP", "Norte"],
      attributes: { ciudad: "Luque", plan: "=oro" },
    });
    const out = await c.contacts.create({ phone: "0981 900 002", nombre: "Beto" });
    await c.contacts.optOut({ id: out.id, reason: "BAJA" });
    await createCaller(contextFor(admin, other.id)).contacts.create({
      phone: "0981 900 003",
      nombre: "Ajeno",
    });
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("streams a BOM, the header and every contact of the workspace only", async () => {
    const rows = parseExport(await readAll(exportContactsCsv({ workspaceId: ws.id, filters: {} })));
    expect(rows[0]).toEqual([
      "numero",
      "nombre",
      "sustantivo",
      "grupo",
      "opted_out_at",
      "ciudad",
      "plan",
    ]);
    const byPhone = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byPhone.size).toBe(2);
    expect(byPhone.get("+595981900001")).toEqual([
      "+595981900001",
      "Núñez, José",
      "Sr.",
      "Norte|VIP",
      "",
      "Luque",
      "=oro",
    ]);
    expect(byPhone.get("+595981900002")![4]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byPhone.has("+595981900003")).toBe(false);
  });

  it("applies the list filters (search, opted-out)", async () => {
    const out = parseExport(
      await readAll(exportContactsCsv({ workspaceId: ws.id, filters: { optedOut: "only" } })),
    );
    expect(out.slice(1).map((r) => r[1])).toEqual(["Beto"]);
    // No attribute in the matching rows: only the fixed columns.
    expect(out[0]).toHaveLength(5);
    const search = parseExport(
      await readAll(exportContactsCsv({ workspaceId: ws.id, filters: { search: "nunez" } })),
    );
    expect(search.slice(1).map((r) => r[0])).toEqual(["+595981900001"]);
  });

  it("pages through more than one keyset page without gaps or repeats", async () => {
    const big = await createWorkspace({ defaultCountry: "PY" });
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, nombre, source)
          select ${big.id}, '+1555' || lpad(g::text, 7, '0'), 'N' || g, 'csv' from generate_series(1, 12001) g`,
    );
    const rows = parseExport(
      await readAll(exportContactsCsv({ workspaceId: big.id, filters: {} })),
    );
    expect(rows).toHaveLength(12_002);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(12_001);
  });

  it("releases its connection when the download is cancelled", async () => {
    for (let i = 0; i < 30; i++) {
      const reader = exportContactsCsv({ workspaceId: ws.id, filters: {} }).getReader();
      await reader.read();
      await reader.cancel();
    }
    // Would hang (pool exhausted) if cancelled exports kept their connections.
    const list = await createCaller(contextFor(admin, ws.id)).contacts.list({});
    expect(list.total).toBe(2);
  });

  it("re-imports unchanged: the importer maps every column back to the same values", async () => {
    const c = createCaller(contextFor(admin, ws.id));
    await c.contacts.create({
      phone: "0981 900 004",
      nombre: '-Raro, "comillas"\nlínea',
      sustantivo: "@Dr",
      groups: ["Zona Sur", "Clientes 2024"],
      attributes: { nota: "=SUM(A1)", ciudad: "San Lorenzo", plan_2024: "+oro" },
    });
    const bytes = Buffer.from(
      await new Response(exportContactsCsv({ workspaceId: ws.id, filters: {} })).arrayBuffer(),
    );
    const detected = detectFromHead(bytes, true);
    expect(detected.hasHeader).toBe(true);
    expect(detected.mapping.slice(0, 4)).toEqual([
      { kind: "field", field: "phone" },
      { kind: "field", field: "nombre" },
      { kind: "field", field: "sustantivo" },
      { kind: "field", field: "groups" },
    ]);
    const records = parse(bytes.subarray(3), { delimiter: detected.delimiter }) as string[][];
    const reimported = new Map(
      records.slice(1).map((cells) => {
        const row = applyMapping(cells, detected.mapping, detected.delimiter);
        const phone = normalisePhone(row.phoneRaw, "PY");
        // `opted_out_at` is informative; the importer should not turn it into an attribute.
        const { opted_out_at: _optedOut, ...attributes } = row.attributes;
        return [phone.ok ? phone.e164 : row.phoneRaw, { ...row, attributes }];
      }),
    );
    const { rows } = await c.contacts.list({ pageSize: 200 });
    expect(reimported.size).toBe(rows.length);
    for (const contact of rows) {
      const back = reimported.get(contact.phone);
      expect(back, contact.phone).toBeDefined();
      expect(back!.nombre).toBe(contact.nombre);
      expect(back!.sustantivo).toBe(contact.sustantivo);
      expect([...back!.groups].sort()).toEqual(contact.groups.map((g) => g.name).sort());
      expect(back!.attributes).toEqual(contact.attributes);
    }
  });

  it("keeps phones exact: Python's csv reads E.164, and the file re-imports to the same contacts", async () => {
    const bytes = Buffer.from(
      await new Response(exportContactsCsv({ workspaceId: ws.id, filters: {} })).arrayBuffer(),
    );
    const { rows } = await createCaller(contextFor(admin, ws.id)).contacts.list({ pageSize: 200 });
    const phones = rows.map((r) => r.phone).sort();
    expect(phones.length).toBeGreaterThan(1);
    expect((await phonesReadByPython(bytes)).sort()).toEqual(phones);

    const target = await freshTenant();
    const done = await importCsv(target, bytes);
    expect(done.status).toBe("completed");
    expect(done.counts?.invalid).toBe(0);
    const imported = await contactsIn(target.workspaceId);
    expect(imported.map((c) => c.phone).sort()).toEqual(phones);
    const names = new Map(rows.map((r) => [r.phone, r.nombre]));
    for (const c of imported) expect(c.nombre).toBe(names.get(c.phone));
  });
});
