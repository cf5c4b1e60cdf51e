/**
 * CSV import edges: a first row longer than the 64 KiB the detector reads says so (not "the
 * file is empty"); rows over the contact form's limits are rejected with the reason instead
 * of silently cut; group names are NFKC-normalised like the form's; a non-ASCII file name
 * survives the multipart upload (UTF-8, not latin1).
 */
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/v1/contacts/imports/route";
import { contactImports } from "@/modules/contacts/contacts.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  counts,
  countsOf,
  expectAppError,
  freshTenant,
  groupNamesIn,
  importCsv,
  importErrorsOf,
  storedUploadsIn,
  upload,
} from "../helpers/import";
import { call, keyFor } from "./api-helpers";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

describe("CSV import edges", () => {
  it("a header row over 64 KiB is named as such, and nothing is stored", async () => {
    const tenant = await freshTenant();
    const header = ["telefono", ...Array.from({ length: 9000 }, (_, i) => `columna ${i}`)];
    const file = `${header.join(",")}\n0981000001,Ana\n`;
    expect(file.indexOf("\n")).toBeGreaterThan(64 * 1024);
    const err = await expectAppError(upload(tenant, file), "BAD_REQUEST");
    expect(err.key).toBe("import.firstRowTooLong");
    expect(err.params).toEqual({ kilobytes: 64 });
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });

  it("rows over the form's limits are rejected with the reason; the rest import whole", async () => {
    const tenant = await freshTenant();
    const attributeHeaders = Array.from({ length: 51 }, (_, i) => `campo ${i}`);
    const blanks = (n: number) => Array.from({ length: n }, () => "");
    const row = (phone: string, cells: Partial<Record<string, string>>, attrs = blanks(51)) =>
      [
        phone,
        cells.nombre ?? "",
        cells.saludo ?? "",
        cells.grupo ?? "",
        cells.notas ?? "",
        ...attrs,
      ].join(",");
    const lines = [
      ["telefono", "nombre", "saludo", "grupo", "notas", ...attributeHeaders].join(","),
      row("0981000001", {
        nombre: "n".repeat(200),
        notas: "x".repeat(1000),
        grupo: "g".repeat(80),
      }),
      row("0981000002", { nombre: "n".repeat(201) }),
      row("0981000003", { saludo: "s".repeat(201) }),
      row("0981000004", { notas: "x".repeat(1001) }),
      row("0981000005", { grupo: "g".repeat(81) }),
      row("0981000006", { grupo: "V\u200bIP" }),
      row("0981000007", { grupo: Array.from({ length: 51 }, (_, i) => `g${i}`).join("|") }),
      // 51 attribute columns filled + notas: 52 attributes; 49 + notas: 50 is fine.
      row(
        "0981000008",
        {},
        attributeHeaders.map(() => "v"),
      ),
      row("0981000009", { notas: "n" }, [
        ...blanks(2),
        ...attributeHeaders.slice(2).map(() => "v"),
      ]),
    ];
    const view = await importCsv(tenant, lines.join("\n") + "\n");
    expect(view.status).toBe("completed");
    expect(countsOf(view)).toEqual(counts({ processed: 9, inserted: 2, invalid: 7 }));
    expect((await importErrorsOf(view.id)).map((e) => [e.rowNumber, e.reason])).toEqual([
      [3, 'import.nameTooLong {"max":200}'],
      [4, 'import.salutationTooLong {"max":200}'],
      [5, 'import.attributeTooLong {"key":"notas","max":1000}'],
      [6, 'import.groupNameTooLong {"max":80}'],
      [7, "import.groupNameInvisible"],
      [8, 'import.tooManyGroups {"max":50}'],
      [9, 'import.tooManyAttributes {"max":50}'],
    ]);
    const stored = await contactMap(tenant.workspaceId);
    expect(Object.keys(stored)).toEqual(["+595981000001", "+595981000009"]);
    expect(stored["+595981000001"]!.nombre).toHaveLength(200);
    expect(Object.keys(stored["+595981000009"]!.attributes)).toHaveLength(50);
  });

  it("a row whose attributes would take its contact past 50 is rejected whole, in every mode", async () => {
    const tenant = await freshTenant();
    // Two contacts with 45 attributes each (a0..a44), imported first.
    const own = Array.from({ length: 45 }, (_, i) => `a${i}`);
    const seed = [
      ["telefono", "nombre", ...own].join(","),
      ["0981000001", "Ana", ...own.map(() => "v")].join(","),
      ["0981000002", "Beto", ...own.map(() => "v")].join(","),
    ].join("\n");
    expect(countsOf(await importCsv(tenant, seed))).toEqual(counts({ processed: 2, inserted: 2 }));
    const before = await contactMap(tenant.workspaceId);

    // Six new keys: 51 with Ana's own. Beto's row adds five of them and an existing one: 50.
    const extra = Array.from({ length: 6 }, (_, i) => `b${i}`);
    const file = (mode: string) =>
      [
        ["telefono", "nombre", "a0", ...extra].join(","),
        ["0981000001", `Ana ${mode}`, "w", ...extra.map(() => "x")].join(","),
        ["0981000002", `Beto ${mode}`, "w", ...extra.slice(0, 5).map(() => "x"), ""].join(","),
        // A new contact, imported whole.
        ["0981000003", "Caro", ...Array.from({ length: 7 }, () => "")].join(","),
      ].join("\n");
    const dry = await importCsv(tenant, file("dry"), { dryRun: true, mode: "upsert" });
    expect(countsOf(dry)).toEqual(counts({ processed: 3, inserted: 1, updated: 1, invalid: 1 }));
    expect((await importErrorsOf(dry.id)).map((e) => [e.rowNumber, e.reason])).toEqual([
      [2, 'import.tooManyAttributes {"max":50}'],
    ]);
    expect(await contactMap(tenant.workspaceId)).toEqual(before);

    const real = await importCsv(tenant, file("upsert"), { mode: "upsert" });
    expect(countsOf(real)).toEqual(counts({ processed: 3, inserted: 1, updated: 1, invalid: 1 }));
    const errors = await importErrorsOf(real.id);
    expect(errors.map((e) => [e.rowNumber, e.reason])).toEqual([
      [2, 'import.tooManyAttributes {"max":50}'],
    ]);
    expect(errors[0]!.raw).toContain("Ana upsert");
    const after = await contactMap(tenant.workspaceId);
    // Ana untouched (name included); Beto merged to exactly 50.
    expect(after["+595981000001"]).toEqual(before["+595981000001"]);
    expect(after["+595981000002"]!.nombre).toBe("Beto upsert");
    expect(Object.keys(after["+595981000002"]!.attributes)).toHaveLength(50);
    expect(after["+595981000002"]!.attributes.a0).toBe("w");

    // Filling empty fields merges the same keys: refused the same way.
    const fill = await importCsv(tenant, file("fill"), { mode: "fillEmpty" });
    expect((await importErrorsOf(fill.id)).map((e) => e.rowNumber)).toEqual([2]);
    expect((await contactMap(tenant.workspaceId))["+595981000001"]).toEqual(
      before["+595981000001"],
    );
    // Only adding new contacts leaves existing ones alone: nothing to refuse.
    const insertOnly = await importCsv(tenant, file("insert"), { mode: "insertOnly" });
    expect(await importErrorsOf(insertOnly.id)).toEqual([]);
  });

  it("rows of one phone that together hold over 50 attributes are rejected", async () => {
    const tenant = await freshTenant();
    const keys = Array.from({ length: 51 }, (_, i) => `k${i}`);
    const file = [
      ["telefono", ...keys].join(","),
      ["0981000001", ...keys.map((_, i) => (i < 30 ? "v" : ""))].join(","),
      ["0981000001", ...keys.map((_, i) => (i >= 30 ? "v" : ""))].join(","),
      ["0981000002", ...keys.map((_, i) => (i < 50 ? "v" : ""))].join(","),
    ].join("\n");
    const view = await importCsv(tenant, file);
    expect(countsOf(view)).toEqual(
      counts({ processed: 3, inserted: 1, duplicates: 1, invalid: 1 }),
    );
    expect((await importErrorsOf(view.id)).map((e) => [e.rowNumber, e.reason])).toEqual([
      [2, 'import.tooManyAttributes {"max":50}'],
    ]);
    expect(Object.keys(await contactMap(tenant.workspaceId))).toEqual(["+595981000002"]);
  });

  it("group names are NFKC-normalised: full-width and decomposed spellings are one group", async () => {
    const tenant = await freshTenant();
    const file = [
      "telefono,grupo",
      "0981000001,VIP",
      "0981000002,ＶＩＰ",
      "0981000003,José",
      "0981000004,Jose\u0301",
      "0981000005,ｖｉｐ｜José",
    ].join("\n");
    const view = await importCsv(tenant, file);
    expect(countsOf(view)).toEqual(counts({ processed: 5, inserted: 5 }));
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["José", "VIP"]);
    expect((await contactMap(tenant.workspaceId))["+595981000005"]!.groups).toEqual([
      "José",
      "VIP",
    ]);
  });

  it("keeps a non-ASCII upload file name as sent (UTF-8)", async () => {
    const tenant = await freshTenant();
    const { secret } = await keyFor(tenant.workspaceId);
    const name = "Clientes Año 2024 – señoras ✓.csv";
    const data = new FormData();
    data.append("dryRun", "true");
    data.append("file", new Blob(["telefono\n0981000001\n"], { type: "text/csv" }), name);
    const res = await call(uploadRoute, {
      method: "POST",
      path: "/contacts/imports",
      key: secret,
      rawBody: data,
    });
    expect(res.status).toBe(202);
    const { id, fileName } = (await res.json()) as { id: string; fileName: string };
    expect(fileName).toBe(name);
    const [row] = await systemDb().select().from(contactImports).where(eq(contactImports.id, id));
    expect(row!.fileName).toBe(name);
  });
});
