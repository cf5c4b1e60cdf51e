/**
 * One import, many hands: a double-clicked Start, two deliveries of the same job, a cancel
 * racing the end of a run — each must leave one consistent result.
 */
import { afterAll, describe, expect, it } from "vitest";
import { runImport } from "@/modules/contacts/import/pipeline";
import { startImport } from "@/modules/contacts/imports.service";
import { closeDatabase } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import {
  claimQueuedJob,
  contactsIn,
  counts,
  countsOf,
  expectAppError,
  freshTenant,
  importCsv,
  importErrorsOf,
  paraguayMobiles,
  upload,
  waitForImport,
} from "../helpers/import";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

const FILE = "telefono,nombre\n0981 123 456,Ana\nxyz,Malo\n0982 200 002,Beto\n";

describe("CSV import under concurrency", () => {
  it("a second Start of the same upload is refused, and the import is queued once", async () => {
    const tenant = await freshTenant();
    const uploaded = await upload(tenant, FILE);
    const start = () =>
      startImport({
        workspaceId: tenant.workspaceId,
        importId: uploaded.id,
        options: { dryRun: false },
      });
    const results = await Promise.allSettled([start(), start()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    await expectAppError(Promise.reject((refused as PromiseRejectedResult).reason), "CONFLICT");
  });

  it("two runs of the same job at once import it exactly once", async () => {
    const tenant = await freshTenant();
    const uploaded = await upload(tenant, FILE);
    await startImport({
      workspaceId: tenant.workspaceId,
      importId: uploaded.id,
      options: { dryRun: false },
    });
    if (await claimQueuedJob(uploaded.id)) {
      const run = { workspaceId: tenant.workspaceId, importId: uploaded.id };
      await Promise.all([runImport(run), runImport(run)]);
    }
    const done = await waitForImport(tenant.workspaceId, uploaded.id);
    expect(countsOf(done)).toEqual(counts({ processed: 3, inserted: 2, invalid: 1 }));
    expect(await importErrorsOf(uploaded.id)).toHaveLength(1);
    expect(await contactsIn(tenant.workspaceId)).toHaveLength(2);
  });

  it("a NUL character past the sniffed head rejects only its row; the rest imports", async () => {
    const tenant = await freshTenant();
    const phones = paraguayMobiles(3000);
    const text =
      "telefono,nombre\n" +
      phones.map((p, i) => `${p.national},Persona ${i}`).join("\n") +
      "\n0982 200 002,Be\u0000to\n";
    expect(text.length).toBeGreaterThan(64 * 1024);
    const done = await importCsv(tenant, text);
    expect(countsOf(done)).toEqual(counts({ processed: 3001, inserted: 3000, invalid: 1 }));
    expect(await importErrorsOf(done.id)).toEqual([
      { rowNumber: 3002, reason: "import.rowNul", raw: "0982 200 002,Beto" },
    ]);
  });

  it("two imports of the same phones in opposite orders run at once without a deadlock", async () => {
    const tenant = await freshTenant();
    const phones = paraguayMobiles(5000);
    const file = (name: string, order: typeof phones) =>
      "telefono,nombre\n" + order.map((p) => `${p.national},${name}`).join("\n") + "\n";
    const uploads = [
      await upload(tenant, file("Uno", phones)),
      await upload(tenant, file("Dos", [...phones].reverse())),
    ];
    for (const u of uploads) {
      await startImport({
        workspaceId: tenant.workspaceId,
        importId: u.id,
        options: { dryRun: false },
      });
    }
    await Promise.all(
      uploads.map(async (u) => {
        if (await claimQueuedJob(u.id))
          await runImport({ workspaceId: tenant.workspaceId, importId: u.id });
      }),
    );
    const [one, two] = await Promise.all(
      uploads.map((u) => waitForImport(tenant.workspaceId, u.id)),
    );
    expect([one!.status, two!.status]).toEqual(["completed", "completed"]);
    // Every phone was inserted by one of the two and updated by the other.
    expect(one!.counts!.inserted + two!.counts!.inserted).toBe(5000);
    expect(one!.counts!.updated + two!.counts!.updated).toBe(5000);
    const stored = await contactsIn(tenant.workspaceId);
    expect(stored).toHaveLength(5000);
    expect(stored.every((c) => c.nombre === "Uno" || c.nombre === "Dos")).toBe(true);
  });
});
