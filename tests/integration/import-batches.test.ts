/**
 * CSV import across several batches (IMPORT_BATCH_ROWS=100 in this file): cancel rolls the
 * batch in flight back at once, with every committed row in place and none of the rest; a retried job
 * resumes after the last commit of a run pg-boss gave up (its signal aborted); repeats in later batches still merge into one contact;
 * row numbers run on across batches; a multi-batch dry run counts like the real run.
 */
import type { PoolClient } from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

// src/env.ts reads the environment once, at import: set it before any app module loads.
vi.hoisted(() => {
  process.env.IMPORT_BATCH_ROWS = "100";
});

import { env } from "@/env";
import { runImport } from "@/modules/contacts/import/pipeline";
import { markQueued } from "@/modules/contacts/imports.queries";
import { cancelImport, getImport, startImport } from "@/modules/contacts/imports.service";
import { closeDatabase, ownerPool } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { stopBoss } from "@/server/queue/boss";
import {
  contactMap,
  contactsIn,
  counts,
  countsOf,
  expectAppError,
  freshTenant,
  importCsv,
  importErrorsOf,
  membershipRowsIn,
  paraguayMobiles,
  runQueuedImport,
  storedUploadsIn,
  upload,
  waitForImport,
  type Tenant,
} from "../helpers/import";

afterAll(async () => {
  delete process.env.IMPORT_BATCH_ROWS;
  await stopBoss(2_000);
  await closeDatabase();
});

const BATCH = 100;

function bigFile(rows: number): { text: string; phones: string[] } {
  const mobiles = paraguayMobiles(rows);
  const lines = mobiles.map((m, i) => `${m.national},Contacto ${i + 1},Masivo`);
  return {
    text: `telefono,nombre,grupo\n${lines.join("\n")}\n`,
    phones: mobiles.map((m) => m.e164),
  };
}

async function queue(tenant: Tenant, text: string, dryRun = false) {
  const uploaded = await upload(tenant, text);
  await startImport({
    workspaceId: tenant.workspaceId,
    importId: uploaded.id,
    options: { dryRun },
  });
  return uploaded.id;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("CSV import in batches", () => {
  it("runs with the small batch size of this file", () => {
    expect(env.IMPORT_BATCH_ROWS).toBe(BATCH);
  });

  it("cancel mid-import: the batch in flight rolls back at once, committed rows stay, counts say how far", async () => {
    const tenant = await freshTenant();
    const { text, phones } = bigFile(2000);
    const importId = await queue(tenant, text);

    // Hold data row 150 (batch 2) with an uncommitted insert of its phone: batch 1 commits,
    // batch 2 waits on the row lock — a batch that would not end by itself while we hold it.
    const blocker: PoolClient = await ownerPool().connect();
    let finished: Promise<unknown> | null = null;
    try {
      await blocker.query("begin");
      await blocker.query(
        "insert into contact (workspace_id, phone, source) values ($1, $2, 'manual')",
        [tenant.workspaceId, phones[149]],
      );
      finished = runQueuedImport(tenant.workspaceId, importId);
      finished.catch(() => undefined);

      const midway = await until(
        "the first batch to commit",
        () => getImport({ workspaceId: tenant.workspaceId, importId }),
        (v) => (v.counts?.processed ?? 0) > 0,
      );
      expect(midway.status).toBe("running");
      expect(countsOf(midway)).toEqual(counts({ processed: 100, inserted: 100 }));
      expect(midway.counts!.bytesRead).toBeGreaterThan(0);
      const { rows } = await blocker.query<{ pid: number }>("select pg_backend_pid() as pid");
      const waiting = async () =>
        (
          await ownerPool().query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))",
            [rows[0]!.pid],
          )
        ).rows[0]!.n;
      await until("batch 2 to wait on the held phone", waiting, (n) => n > 0);

      const asked = await cancelImport({ workspaceId: tenant.workspaceId, importId });
      // The runner ends it: asked now, canceled once the batch in flight is stopped.
      expect(asked.status).toBe("running");
      // Still holding the phone: only the cancel can end batch 2's wait.
      const view = await until(
        "the import to end",
        () => getImport({ workspaceId: tenant.workspaceId, importId }),
        (v) => v.status !== "running",
      );
      expect(view.status).toBe("canceled");
      expect(await waiting()).toBe(0);
    } finally {
      await blocker.query("rollback");
      blocker.release();
    }
    await finished;

    const view = await waitForImport(tenant.workspaceId, importId);
    expect(view.status).toBe("canceled");
    expect(view.finishedAt).toBeInstanceOf(Date);
    // Batch 2 rolled back whole; batch 3 never started.
    expect(countsOf(view)).toEqual(counts({ processed: 100, inserted: 100 }));
    const stored = await contactsIn(tenant.workspaceId);
    expect(stored.map((c) => c.phone)).toEqual(phones.slice(0, 100));
    expect(await membershipRowsIn(tenant.workspaceId)).toHaveLength(100);
    await expectAppError(cancelImport({ workspaceId: tenant.workspaceId, importId }), "CONFLICT");
    // Ended: the stored file is deleted with it (a retry resuming from the ledger is covered
    // by the next test, on an import that is still running).
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(0);
  });

  it("a run whose job was given up stops at a batch boundary; the retry resumes it", async () => {
    const tenant = await freshTenant();
    const { text, phones } = bigFile(350);
    const uploaded = await upload(tenant, text);
    const ref = { workspaceId: tenant.workspaceId, importId: uploaded.id };
    // Queued without a pg-boss job: no worker of another test file can take this run.
    await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
      markQueued(tx, ref, {
        dryRun: false,
        options: { mapping: uploaded.detected!.mapping, hasHeader: true },
      }),
    );
    // The job's signal as pg-boss aborts it once the heartbeat finds the claim gone: here
    // from its second look on, i.e. after batch 0 was handed to the writer.
    let looks = 0;
    const signal = {
      get aborted() {
        return ++looks > 1;
      },
    } as AbortSignal;

    await runImport({ ...ref, signal });
    const stopped = await getImport(ref);
    expect(stopped.status).toBe("running");
    expect(countsOf(stopped)).toEqual(counts({ processed: BATCH, inserted: BATCH }));
    expect(await contactsIn(ref.workspaceId)).toHaveLength(BATCH);

    await runImport(ref);
    const resumed = await getImport(ref);
    expect(resumed.status).toBe("completed");
    expect(countsOf(resumed)).toEqual(counts({ processed: 350, inserted: 350 }));
    expect((await contactsIn(ref.workspaceId)).map((c) => c.phone)).toEqual(phones);
  });

  it("cancel before the job starts: canceled at once, the job then does nothing", async () => {
    const tenant = await freshTenant();
    const { text } = bigFile(300);
    const importId = await queue(tenant, text);

    const canceled = await cancelImport({ workspaceId: tenant.workspaceId, importId });
    expect(canceled.status).toBe("canceled");
    expect(canceled.finishedAt).toBeInstanceOf(Date);

    const view = await runQueuedImport(tenant.workspaceId, importId);
    expect(view.status).toBe("canceled");
    expect(view.counts?.processed ?? 0).toBe(0);
    expect(await contactsIn(tenant.workspaceId)).toEqual([]);
    await expectAppError(
      startImport({
        workspaceId: tenant.workspaceId,
        importId,
        options: { dryRun: false },
      }),
      "CONFLICT",
    );
  });

  it("a phone repeated in later batches is one contact; row numbers run on; dry run counts the same", async () => {
    const tenant = await freshTenant();
    const mobiles = paraguayMobiles(250);
    const rows = mobiles.map((m, k) => [m.national, `Contacto ${k + 1}`, "", "Masivo"]);
    rows[10] = [mobiles[10]!.national, "Primero", "", "A"]; // batch 1
    rows[120] = ["x", "Sin teléfono", "", ""]; // batch 2, spreadsheet row 122
    rows[160] = [`+595 ${mobiles[10]!.national.slice(1)}`, "Segundo", "", "B"]; // batch 2, repeat
    rows[240] = [
      `(${mobiles[10]!.national.slice(0, 4)}) ${mobiles[10]!.national.slice(4)}`,
      "",
      "Dr.",
      "C",
    ]; // batch 3
    const text =
      "telefono,nombre,sustantivo,grupo\n" + rows.map((r) => r.join(",")).join("\n") + "\n";
    const expected = counts({ processed: 250, inserted: 247, duplicates: 2, invalid: 1 });

    const dry = await importCsv(tenant, text, { dryRun: true });
    expect(dry).toMatchObject({ status: "completed", dryRun: true });
    expect(countsOf(dry)).toEqual(expected);
    expect(await contactsIn(tenant.workspaceId)).toEqual([]);
    expect(await importErrorsOf(dry.id)).toEqual([
      { rowNumber: 122, reason: "phone.letters", raw: "x,Sin teléfono,," },
    ]);

    const real = await importCsv(tenant, text);
    expect(countsOf(real)).toEqual(expected);
    expect((await importErrorsOf(real.id)).map((e) => e.rowNumber)).toEqual([122]);
    const stored = await contactMap(tenant.workspaceId);
    expect(Object.keys(stored)).toHaveLength(247);
    expect(stored[mobiles[10]!.e164]).toEqual({
      nombre: "Segundo",
      sustantivo: "Dr.",
      groups: ["A", "B", "C"],
      attributes: {},
    });
  });
});
