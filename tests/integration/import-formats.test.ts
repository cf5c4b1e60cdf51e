/**
 * CSV import: the files people really upload — Spanish Excel (Windows-1252, `;`), UTF-8
 * with a BOM and columns in any order, the legacy headerless layout, quoted cells holding
 * commas and line breaks, Excel "Unicode text" (UTF-16 LE, tabs) and extra columns — each
 * land as the same contacts: E.164 phones, accents intact, groups and attributes.
 */
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  counts,
  countsOf,
  freshTenant,
  groupNamesIn,
  importCsv,
  importErrorsOf,
  paraguayMobiles,
  upload,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

describe("CSV import: encodings and layouts", () => {
  it("Windows-1252 with `;` (Spanish Excel): detected, and accents survive", async () => {
    const tenant = await freshTenant();
    const text =
      "Número;Nombre;Grupo\r\n" +
      "0981 123 456;María Núñez;Clientes\r\n" +
      "0982 200 002;José Ñandú;Clientes|Proveedores\r\n" +
      "0971 300 003;Begoña Güemes € Ça;Proveedores\r\n";
    const bytes = iconv.encode(text, "win1252");
    // Really single-byte: `ú` is 0xFA, which is not valid UTF-8 on its own.
    expect(bytes.includes(0xfa)).toBe(true);
    expect(bytes.length).toBe(text.length);

    const uploaded = await upload(tenant, bytes, { fileName: "clientes.csv" });
    expect(uploaded.status).toBe("uploaded");
    expect(uploaded.fileSize).toBe(bytes.length);
    expect(uploaded.detected).toMatchObject({
      encoding: "windows1252",
      delimiter: ";",
      hasHeader: true,
      headers: ["Número", "Nombre", "Grupo"],
      mapping: [
        { kind: "field", field: "phone" },
        { kind: "field", field: "nombre" },
        { kind: "field", field: "groups" },
      ],
      sample: [["0981 123 456", "María Núñez", "Clientes"], expect.any(Array), expect.any(Array)],
    });

    const done = await importCsv(tenant, bytes);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 3, inserted: 3 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595971300003": {
        nombre: "Begoña Güemes € Ça",
        sustantivo: null,
        groups: ["Proveedores"],
        attributes: {},
      },
      "+595981123456": {
        nombre: "María Núñez",
        sustantivo: null,
        groups: ["Clientes"],
        attributes: {},
      },
      "+595982200002": {
        nombre: "José Ñandú",
        sustantivo: null,
        groups: ["Clientes", "Proveedores"],
        attributes: {},
      },
    });
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Clientes", "Proveedores"]);
  });

  it("UTF-8 with BOM and reordered headers (grupo,nombre,teléfono,sustantivo)", async () => {
    const tenant = await freshTenant();
    const text =
      "\uFEFFgrupo,nombre,teléfono,sustantivo\n" +
      "VIP,Renée Ñúñez,0981 123 456,Sra.\n" +
      "Clientes|VIP,Óscar Ibáñez,+595 982 200 002,Sr.\n" +
      ",Zoë,0971300003,\n";
    const bytes = Buffer.from(text, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const uploaded = await upload(tenant, bytes);
    expect(uploaded.detected).toMatchObject({
      encoding: "utf8",
      delimiter: ",",
      hasHeader: true,
      // The BOM is not part of the first header.
      headers: ["grupo", "nombre", "teléfono", "sustantivo"],
      mapping: [
        { kind: "field", field: "groups" },
        { kind: "field", field: "nombre" },
        { kind: "field", field: "phone" },
        { kind: "field", field: "sustantivo" },
      ],
    });

    const done = await importCsv(tenant, bytes);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 3, inserted: 3 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595971300003": { nombre: "Zoë", sustantivo: null, groups: [], attributes: {} },
      "+595981123456": {
        nombre: "Renée Ñúñez",
        sustantivo: "Sra.",
        groups: ["VIP"],
        attributes: {},
      },
      "+595982200002": {
        nombre: "Óscar Ibáñez",
        sustantivo: "Sr.",
        groups: ["Clientes", "VIP"],
        attributes: {},
      },
    });
  });

  it("legacy headerless numero,sustantivo,nombre,grupo: the first row is a contact", async () => {
    const tenant = await freshTenant();
    const text =
      "0981123456,Sr.,Juan Pérez,VIP\n" +
      "0982200002,Sra.,Ana Ñáñez,\n" +
      "0971300003,,Luis Güell,Clientes|VIP,Asunción\n";

    const uploaded = await upload(tenant, text);
    expect(uploaded.detected).toMatchObject({
      encoding: "utf8",
      delimiter: ",",
      hasHeader: false,
      mapping: [
        { kind: "field", field: "phone" },
        { kind: "field", field: "sustantivo" },
        { kind: "field", field: "nombre" },
        { kind: "field", field: "groups" },
        { kind: "attribute", key: "col_5" },
      ],
    });
    expect(uploaded.detected!.sample[0]).toEqual(["0981123456", "Sr.", "Juan Pérez", "VIP"]);

    const done = await importCsv(tenant, text);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 3, inserted: 3 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595971300003": {
        nombre: "Luis Güell",
        sustantivo: null,
        groups: ["Clientes", "VIP"],
        attributes: { col_5: "Asunción" },
      },
      "+595981123456": { nombre: "Juan Pérez", sustantivo: "Sr.", groups: ["VIP"], attributes: {} },
      "+595982200002": { nombre: "Ana Ñáñez", sustantivo: "Sra.", groups: [], attributes: {} },
    });
  });

  it("quoted cells with commas, quotes and line breaks, CRLF endings; rows are records", async () => {
    const tenant = await freshTenant();
    const text =
      "Teléfono,Nombre,Grupo,Notas\r\n" +
      '"0981 123 456","Pérez, Juan","Clientes","Línea 1\r\nLínea 2, con coma"\r\n' +
      '0982 200 002,"Ana ""La Jefa"" Gómez",VIP,"dice ""hola"""\r\n' +
      '"0971 300 003",Luis,"Clientes|VIP","ruta C:\\temp\\nuevo\tcon tab\nsegunda línea"\r\n' +
      "no-es-telefono,Pedro,Clientes,\r\n";

    const uploaded = await upload(tenant, text);
    expect(uploaded.detected).toMatchObject({ delimiter: ",", hasHeader: true });
    expect(uploaded.detected!.sample[0]).toEqual([
      "0981 123 456",
      "Pérez, Juan",
      "Clientes",
      "Línea 1\r\nLínea 2, con coma",
    ]);

    const done = await importCsv(tenant, text);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 4, inserted: 3, invalid: 1 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595971300003": {
        nombre: "Luis",
        sustantivo: null,
        groups: ["Clientes", "VIP"],
        // Backslashes, tabs and line breaks survive the COPY text format untouched.
        attributes: { notas: "ruta C:\\temp\\nuevo\tcon tab\nsegunda línea" },
      },
      "+595981123456": {
        nombre: "Pérez, Juan",
        sustantivo: null,
        groups: ["Clientes"],
        attributes: { notas: "Línea 1\r\nLínea 2, con coma" },
      },
      "+595982200002": {
        nombre: 'Ana "La Jefa" Gómez',
        sustantivo: null,
        groups: ["VIP"],
        attributes: { notas: 'dice "hola"' },
      },
    });
    // Spreadsheet row 5 (header = 1, one row per record) although it is line 7 of the file.
    expect(await importErrorsOf(done.id)).toEqual([
      { rowNumber: 5, reason: "phone.letters", raw: "no-es-telefono,Pedro,Clientes," },
    ]);
  });

  it("UTF-16 LE, tab-separated, with BOM (Excel “Unicode text”)", async () => {
    const tenant = await freshTenant();
    const text =
      "Teléfono\tNombre\tGrupo\tCiudad\r\n" +
      "0981 123 456\tJosé Peña\tClientes;VIP\tAsunción\r\n" +
      "0982 200 002\tZoë Ærøskøbing 😀\tClientes\tEncarnación\r\n";
    const bytes = iconv.encode(text, "utf16le", { addBOM: true });
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);

    const uploaded = await upload(tenant, bytes, { fileName: "contactos.txt" });
    expect(uploaded.detected).toMatchObject({
      encoding: "utf16le",
      delimiter: "\t",
      hasHeader: true,
      headers: ["Teléfono", "Nombre", "Grupo", "Ciudad"],
      mapping: [
        { kind: "field", field: "phone" },
        { kind: "field", field: "nombre" },
        { kind: "field", field: "groups" },
        { kind: "attribute", key: "ciudad" },
      ],
    });

    const done = await importCsv(tenant, bytes);
    expect(done.status).toBe("completed");
    expect(countsOf(done)).toEqual(counts({ processed: 2, inserted: 2 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      // With tabs as the delimiter, `;` inside a cell separates groups.
      "+595981123456": {
        nombre: "José Peña",
        sustantivo: null,
        groups: ["Clientes", "VIP"],
        attributes: { ciudad: "Asunción" },
      },
      "+595982200002": {
        nombre: "Zoë Ærøskøbing 😀",
        sustantivo: null,
        groups: ["Clientes"],
        attributes: { ciudad: "Encarnación" },
      },
    });
  });

  it("extra columns become attributes keyed by their folded header; blank cells are not stored", async () => {
    const tenant = await freshTenant();
    const text =
      "Teléfono,Nombre,Ciudad,Vendedor,Fecha de Alta\n" +
      "0981 123 456,Ana,Asunción,Carlos,2024-01-05\n" +
      "0982 200 002,Beto,,Carlos,\n";

    const uploaded = await upload(tenant, text);
    expect(uploaded.detected!.mapping).toEqual([
      { kind: "field", field: "phone" },
      { kind: "field", field: "nombre" },
      { kind: "attribute", key: "ciudad" },
      { kind: "attribute", key: "vendedor" },
      { kind: "attribute", key: "fecha_de_alta" },
    ]);

    const done = await importCsv(tenant, text);
    expect(countsOf(done)).toEqual(counts({ processed: 2, inserted: 2 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        nombre: "Ana",
        sustantivo: null,
        groups: [],
        attributes: { ciudad: "Asunción", vendedor: "Carlos", fecha_de_alta: "2024-01-05" },
      },
      "+595982200002": {
        nombre: "Beto",
        sustantivo: null,
        groups: [],
        attributes: { vendedor: "Carlos" },
      },
    });
  });

  it("old Mac Excel line endings (CR only) split rows like LF and CRLF", async () => {
    const tenant = await freshTenant();
    const text = "Teléfono,Nombre\r0981 123 456,Ana Núñez\r0982 200 002,Beto\r";
    const done = await importCsv(tenant, text);
    expect(countsOf(done)).toEqual(counts({ processed: 2, inserted: 2 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": { nombre: "Ana Núñez", sustantivo: null, groups: [], attributes: {} },
      "+595982200002": { nombre: "Beto", sustantivo: null, groups: [], attributes: {} },
    });
  });

  it("our own export's formula guard (`'+595…`, `'=…`) is undone on import", async () => {
    const tenant = await freshTenant();
    const done = await importCsv(tenant, "telefono,nombre,grupo\n'+595981123456,'=Ana,'-VIP\n");
    expect(countsOf(done)).toEqual(counts({ processed: 1, inserted: 1 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": { nombre: "=Ana", sustantivo: null, groups: ["-VIP"], attributes: {} },
    });
  });

  // Excel's `sep=;` first line names the delimiter and is neither the header nor data; Excel
  // hides it, so a rejected row's number counts from the header as row 1.
  it("Excel's `sep=;` first line names the delimiter and is not a row", async () => {
    const tenant = await freshTenant();
    const text = "sep=;\r\nTeléfono;Nombre\r\n0981 123 456;Ana\r\nno-es;Beto\r\n";
    const uploaded = await upload(tenant, text);
    expect(uploaded.detected).toMatchObject({
      delimiter: ";",
      hasHeader: true,
      headers: ["Teléfono", "Nombre"],
      mapping: [
        { kind: "field", field: "phone" },
        { kind: "field", field: "nombre" },
      ],
    });
    const done = await importCsv(tenant, text);
    expect(countsOf(done)).toEqual(counts({ processed: 2, inserted: 1, invalid: 1 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": { nombre: "Ana", sustantivo: null, groups: [], attributes: {} },
    });
    expect((await importErrorsOf(done.id)).map((e) => e.rowNumber)).toEqual([3]);
  });

  // The encoding sniffed from the first 64 KiB is checked against the whole file as it is
  // stored (writeUploadChunks): a Windows-1252 file whose accents come later must not be read
  // as UTF-8 (every accented name stored with U+FFFD, `Mar\uFFFDa N\uFFFD\uFFFDez`).
  it("Windows-1252 whose first accent comes after the first 64 KiB keeps its accents", async () => {
    const tenant = await freshTenant();
    const plain = paraguayMobiles(3000).map((m, i) => `${m.national},Juan Perez ${i + 1}`);
    const text = `telefono,nombre\n${plain.join("\n")}\n0982200002,María Núñez\n`;
    const bytes = iconv.encode(text, "win1252");
    expect(bytes.indexOf(0xed)).toBeGreaterThan(64 * 1024);

    const done = await importCsv(tenant, bytes);
    expect(countsOf(done)).toEqual(counts({ processed: 3001, inserted: 3001 }));
    expect((await contactMap(tenant.workspaceId))["+595982200002"]!.nombre).toBe("María Núñez");
  });

  it("a mapping chosen by the user overrides the detected one (ignore, rename, swap)", async () => {
    const tenant = await freshTenant();
    const text = "Nombre,Móvil,Notas,Grupo\nAna,0981 123 456,no importar,Clientes\n";
    const done = await importCsv(tenant, text, {
      mapping: [
        { kind: "field", field: "sustantivo" },
        { kind: "field", field: "phone" },
        { kind: "ignore" },
        { kind: "attribute", key: "segmento" },
      ],
    });
    expect(countsOf(done)).toEqual(counts({ processed: 1, inserted: 1 }));
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        nombre: null,
        sustantivo: "Ana",
        groups: [],
        attributes: { segmento: "Clientes" },
      },
    });
  });
});
