/**
 * A batch is written as parts on parallel connections (IMPORT_WRITERS=2, IMPORT_BATCH_ROWS=100
 * here), each committed with its ledger row: a retry writes exactly the parts that are
 * missing, and a batch that fails leaves neither its rows nor the groups made for it.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.IMPORT_BATCH_ROWS = "100";
  process.env.IMPORT_WRITERS = "2";
});

import { env } from "@/env";
import { contactImports } from "@/modules/contacts/contacts.table";
import { partOf } from "@/modules/contacts/import/ledger";
import { runImport } from "@/modules/contacts/import/pipeline";
import { getImport } from "@/modules/contacts/imports.service";
import { closeDatabase, ownerPool, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  contactsIn,
  counts,
  countsOf,
  freshTenant,
  groupNamesIn,
  importCsv,
  membershipRowsIn,
  paraguayMobiles,
} from "../helpers/import";

afterAll(async () => {
  delete process.env.IMPORT_BATCH_ROWS;
  delete process.env.IMPORT_WRITERS;
  await stopBoss(2_000);
  await closeDatabase();
});

function file(rows: number, group: (i: number) => string) {
  const mobiles = paraguayMobiles(rows);
  const lines = mobiles.map((m, i) => `${m.national},Contacto ${i + 1},${group(i)}`);
  return { text: `telefono,nombre,grupo\n${lines.join("\n")}\n`, mobiles };
}

async function ledgerOf(importId: string) {
  const { rows } = await ownerPool().query<{ batch: number; part: number; processed: number }>(
    `select batch, part, coalesce((counts->>'processed')::int, 0) as processed
       from contact_import_part where import_id = $1 order by batch, part`,
    [importId],
  );
  return rows;
}

describe("import batches written as parallel parts", () => {
  it("runs with two writers and batches of 100", () => {
    expect(env.IMPORT_WRITERS).toBe(2);
    expect(env.IMPORT_BATCH_ROWS).toBe(100);
  });

  it("records every part of every batch, and the parts add up to the import", async () => {
    const tenant = await freshTenant();
    const { text } = file(250, (i) => (i % 2 ? "Impares" : "Pares"));
    const view = await importCsv(tenant, text);
    expect(view.status).toBe("completed");
    expect(countsOf(view)).toEqual(counts({ processed: 250, inserted: 250 }));
    const ledger = await ledgerOf(view.id);
    expect(ledger.map((r) => `${r.batch}:${r.part}`)).toEqual([
      "0:0",
      "0:1",
      "1:0",
      "1:1",
      "2:0",
      "2:1",
    ]);
    // Batch-level counts (rows read, rejected, repeats) ride with part 0.
    expect(ledger.map((r) => r.processed)).toEqual([100, 0, 100, 0, 50, 0]);
    expect(await membershipRowsIn(tenant.workspaceId)).toHaveLength(250);
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Impares", "Pares"]);
  });

  it("a retry writes only the part a crash left unwritten", async () => {
    const tenant = await freshTenant();
    const { text, mobiles } = file(300, () => "Todos");
    const done = await importCsv(tenant, text);
    const before = countsOf(done);

    // As if the process died between the two commits of batch 1: part 0's rows and its
    // ledger row are not there, part 1's are.
    const { rows: lost } = await ownerPool().query<{ phone: string }>(
      `select phone from contact where workspace_id = $1 and phone = any($2)`,
      [tenant.workspaceId, mobiles.slice(100, 200).map((m) => m.e164)],
    );
    const part0 = lost.map((r) => r.phone).filter((p) => partOf(p, 2) === 0);
    expect(part0.length).toBeGreaterThan(20);
    expect(part0.length).toBeLessThan(80);
    await ownerPool().query("delete from contact where workspace_id = $1 and phone = any($2)", [
      tenant.workspaceId,
      part0,
    ]);
    await ownerPool().query(
      "delete from contact_import_part where import_id = $1 and batch = 1 and part = 0",
      [done.id],
    );
    await systemDb()
      .update(contactImports)
      .set({ status: "running", finishedAt: null })
      .where(
        and(eq(contactImports.id, done.id), eq(contactImports.workspaceId, tenant.workspaceId)),
      );
    // A run that really died still has its file; this one completed, which deleted it.
    await ownerPool().query(
      "insert into contact_import_chunk (workspace_id, import_id, seq, data) values ($1, $2, 0, $3)",
      [tenant.workspaceId, done.id, Buffer.from(text, "utf8")],
    );

    await runImport({ workspaceId: tenant.workspaceId, importId: done.id });
    const resumed = await getImport({ workspaceId: tenant.workspaceId, importId: done.id });
    expect(resumed.status).toBe("completed");
    // Exactly the missing part was written again: its rows count as inserted, once.
    expect(countsOf(resumed)).toEqual(before);
    expect((await contactsIn(tenant.workspaceId)).map((c) => c.phone).sort()).toEqual(
      mobiles.map((m) => m.e164).sort(),
    );
    expect(await membershipRowsIn(tenant.workspaceId)).toHaveLength(300);
    expect(await ledgerOf(done.id)).toHaveLength(6);
  });

  it("a failing batch leaves none of its rows and none of the groups made for it", async () => {
    const tenant = await freshTenant();
    const { text } = file(300, (i) => (i < 100 ? "Primero" : i === 150 ? "Nuevo" : "Segundo"));
    // A database error inside batch 2 (row 181), for this workspace only.
    const fn = `boom_${tenant.workspaceId.replace(/-/g, "")}`;
    await ownerPool().query(
      `create function ${fn}() returns trigger language plpgsql as $$
       begin raise exception 'injected failure'; end $$`,
    );
    await ownerPool().query(
      `create trigger ${fn} before insert on contact for each row
       when (new.workspace_id = '${tenant.workspaceId}' and new.nombre = 'Contacto 181')
       execute function ${fn}()`,
    );
    try {
      const view = await importCsv(tenant, text);
      expect(view.status).toBe("failed");
      // Stored as a code: the reader sees where it stopped, never the database's words.
      expect(view.error).toEqual({ key: "import.stopped", params: { processed: 100 } });
      expect(view.errorMessage).toMatch(/^Stopped after 100 rows: an unexpected error/);
      expect(countsOf(view)).toEqual(counts({ processed: 100, inserted: 100 }));
    } finally {
      await ownerPool().query(`drop trigger ${fn} on contact`);
      await ownerPool().query(`drop function ${fn}()`);
    }
    expect(await contactsIn(tenant.workspaceId)).toHaveLength(100);
    expect(await membershipRowsIn(tenant.workspaceId)).toHaveLength(100);
    // "Segundo" and "Nuevo" were created for batch 2 only, which never committed.
    expect(await groupNamesIn(tenant.workspaceId)).toEqual(["Primero"]);
  });
});
