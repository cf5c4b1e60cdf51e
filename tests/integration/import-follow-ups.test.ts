/**
 * The import page's follow-ups (issue 9 items 9 and 10): "Import for real" after a dry run
 * reuses the stored file and mapping; the preview can be read again with another encoding or
 * delimiter; progress is rows done out of the file's rows, counted at upload; previews never
 * started and discarded uploads leave the history and are deleted by the retention job.
 */
import { eq, sql } from "drizzle-orm";
import { purgeImportUploads } from "@jobs/maintenance/purge-import-uploads.job";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { contactImports } from "@/modules/contacts/contacts.table";
import { rereadUpload } from "@/modules/contacts/imports-preview.service";
import { importDryRunForReal } from "@/modules/contacts/imports-real-run.service";
import {
  cancelImport,
  getImport,
  listImports,
  startImport,
} from "@/modules/contacts/imports.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  counts,
  countsOf,
  expectAppError,
  freshTenant,
  importCsv,
  runQueuedImport,
  storedUploadsIn,
  upload,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

const cron = { id: "test", retryCount: 0, signal: new AbortController().signal, data: {} };

describe("import for real after a dry run", () => {
  it("runs the same stored file with the same mapping and mode, once", async () => {
    const tenant = await freshTenant();
    // Column 3 is mapped by hand to an attribute the header would not have suggested.
    const file = "tel;nombre;zona\n0981 123 456;Ana;Norte\n0982 200 002;Beto;Sur\nxx;Malo;\n";
    const uploaded = await upload(tenant, file);
    const mapping = [
      { kind: "field", field: "phone" },
      { kind: "field", field: "nombre" },
      { kind: "attribute", key: "region" },
    ] as const;
    await startImport({
      workspaceId: tenant.workspaceId,
      importId: uploaded.id,
      options: { dryRun: true, mapping: [...mapping], mode: "insertOnly" },
    });
    const dry = await runQueuedImport(tenant.workspaceId, uploaded.id);
    expect(dry).toMatchObject({ status: "completed", dryRun: true, canRunForReal: true });
    expect(await contactMap(tenant.workspaceId)).toEqual({});
    // The dry run kept its file for this.
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(1);

    const ref = { workspaceId: tenant.workspaceId, importId: dry.id };
    const queued = await importDryRunForReal({ ...ref, userId: tenant.userId });
    expect(queued).toMatchObject({ status: "queued", dryRun: false, dryRunId: dry.id });
    expect(queued.id).not.toBe(dry.id);
    const real = await runQueuedImport(tenant.workspaceId, queued.id);
    expect(real.mode).toBe("insertOnly");
    expect(countsOf(real)).toEqual(countsOf(dry));
    expect(countsOf(real)).toEqual(counts({ processed: 3, inserted: 2, invalid: 1 }));
    expect((await contactMap(tenant.workspaceId))["+595981123456"]).toMatchObject({
      nombre: "Ana",
      attributes: { region: "Norte" },
    });
    // The dry run points at its real run and cannot be run again; no file is left.
    expect(await getImport(ref)).toMatchObject({ realRunId: queued.id, canRunForReal: false });
    await expectAppError(importDryRunForReal({ ...ref, userId: tenant.userId }), "CONFLICT");
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(0);
  });

  it("refuses an import that is not a completed dry run", async () => {
    const tenant = await freshTenant();
    const done = await importCsv(tenant, "telefono\n0981123456\n");
    await expectAppError(
      importDryRunForReal({ workspaceId: tenant.workspaceId, importId: done.id, userId: null }),
      "CONFLICT",
    );
  });
});

describe("preview: encoding and delimiter chosen by hand", () => {
  it("reads the stored file again with the chosen delimiter and encoding", async () => {
    const tenant = await freshTenant();
    const uploaded = await upload(tenant, "telefono;nombre;zona\n0981123456;María,Núñez;Norte\n");
    expect(uploaded.detected).toMatchObject({ delimiter: ";", encoding: "utf8" });
    const ref = { workspaceId: tenant.workspaceId, importId: uploaded.id };

    const comma = await rereadUpload({ ...ref, delimiter: "," });
    expect(comma.detected).toMatchObject({
      delimiter: ",",
      // Read with commas, the header row is no longer one: the legacy layout is proposed.
      hasHeader: false,
      sample: [["telefono;nombre;zona"], ["0981123456;María", "Núñez;Norte"]],
    });
    // As Windows-1252, UTF-8's two-byte letters show as two characters: the person sees it.
    const latin = await rereadUpload({ ...ref, encoding: "windows1252", delimiter: ";" });
    expect(latin.detected).toMatchObject({ encoding: "windows1252", delimiter: ";" });
    expect(latin.detected!.sample[0]![1]).toBe("MarÃ­a,NÃºÃ±ez");

    // The import runs with what was chosen last.
    const back = await rereadUpload({ ...ref, encoding: "utf8" });
    expect(back.detected).toMatchObject({ encoding: "utf8", delimiter: ";" });
    await startImport({ ...ref, options: { dryRun: false } });
    await runQueuedImport(tenant.workspaceId, uploaded.id);
    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        nombre: "María,Núñez",
        sustantivo: null,
        groups: [],
        attributes: { zona: "Norte" },
      },
    });
    // Started: the reading can no longer change.
    await expectAppError(rereadUpload({ ...ref, delimiter: "," }), "CONFLICT");
  });
});

describe("progress counts rows", () => {
  it("knows the file's data rows from the upload, and ends with total = rows read", async () => {
    const tenant = await freshTenant();
    const rows = Array.from(
      { length: 40 },
      (_, i) => `09811${String(i).padStart(5, "0")},"N\n${i}"`,
    );
    const uploaded = await upload(tenant, `telefono,nombre\n\n${rows.join("\n")}\n\n`);
    expect(uploaded.detected!.records).toBe(41);
    await startImport({
      workspaceId: tenant.workspaceId,
      importId: uploaded.id,
      options: { dryRun: false },
    });
    const row = await systemDb()
      .select({ options: contactImports.options })
      .from(contactImports)
      .where(eq(contactImports.id, uploaded.id));
    expect(row[0]!.options).toMatchObject({ totalRows: 40 });
    const done = await runQueuedImport(tenant.workspaceId, uploaded.id);
    expect(done.counts).toMatchObject({ total: 40, processed: 40, inserted: 40 });
  });
});

describe("history and retention of previews", () => {
  it("previews never started and discarded uploads are not in the history, and are deleted", async () => {
    const tenant = await freshTenant();
    const ws = tenant.workspaceId;
    const csv = "telefono\n0981123456\n";
    const started = await importCsv(tenant, csv);
    const pending = await upload(tenant, csv);
    const discarded = await upload(tenant, csv);
    await cancelImport({ workspaceId: ws, importId: discarded.id });
    const stale = await upload(tenant, csv);
    await systemDb()
      .update(contactImports)
      .set({
        createdAt: sql`now() - make_interval(hours => ${env.IMPORT_UPLOAD_RETENTION_HOURS + 1})`,
      })
      .where(eq(contactImports.id, stale.id));

    const history = await listImports({ workspaceId: ws, page: 1, pageSize: 50 });
    expect(history.rows.map((r) => r.id)).toEqual([started.id]);
    expect(history.total).toBe(1);

    await purgeImportUploads.handle(cron);
    // The one still being previewed stays, as does the history.
    expect(await storedUploadsIn(ws)).toEqual({ imports: 2, chunks: 1 });
    expect((await getImport({ workspaceId: ws, importId: pending.id })).status).toBe("uploaded");
    await expectAppError(getImport({ workspaceId: ws, importId: discarded.id }), "NOT_FOUND");
    await expectAppError(getImport({ workspaceId: ws, importId: stale.id }), "NOT_FOUND");
  });

  it("a completed dry run's file is kept for the window, then purged", async () => {
    const tenant = await freshTenant();
    const dry = await importCsv(tenant, "telefono\n0981123456\n", { dryRun: true });
    await purgeImportUploads.handle(cron);
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(1);
    await systemDb()
      .update(contactImports)
      .set({
        finishedAt: sql`now() - make_interval(hours => ${env.IMPORT_UPLOAD_RETENTION_HOURS + 1})`,
      })
      .where(eq(contactImports.id, dry.id));
    await purgeImportUploads.handle(cron);
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(0);
    expect(await getImport({ workspaceId: tenant.workspaceId, importId: dry.id })).toMatchObject({
      canRunForReal: false,
    });
  });
});
