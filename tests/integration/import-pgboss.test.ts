/**
 * CSV import end to end through pg-boss: upload, start over tRPC, the worker's
 * `contacts.import` job runs it, progress streams to the subscription, the result is read
 * back over tRPC — and running the job again for the same import changes nothing.
 */
import iconv from "iconv-lite";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importContacts } from "@jobs/contacts/import.job";
import { startWorkers } from "@jobs/worker";
import type { ImportView } from "@/modules/contacts/imports.schema";
import { closeDatabase } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { createCaller } from "@/server/root";
import { contextFor } from "../helpers/fixtures";
import {
  contactMap,
  contactsIn,
  counts,
  countsOf,
  freshTenant,
  groupNamesIn,
  importErrorsOf,
  membershipRowsIn,
  upload,
  waitForImport,
  type Tenant,
} from "../helpers/import";

const FILE = iconv.encode(
  "Teléfono;Nombre;Sustantivo;Grupo;Ciudad\r\n" +
    "0981 123 456;María Núñez;Sra.;Clientes|VIP;Asunción\r\n" +
    "+595 982 200 002;José Ñandú;Sr.;Clientes;Encarnación\r\n" +
    "(0981) 123-456;;;Norte;\r\n" +
    "teléfono?;Sin número;;;\r\n",
  "win1252",
);

async function jobStates(boss: PgBoss, importId: string): Promise<string[]> {
  const jobs = await boss.findJobs(importContacts.name, { key: importId });
  return jobs.map((j) => j.state);
}

/** The job's states once it has settled: pg-boss marks it done after the handler returns,
 * a moment after the import itself is recorded as finished. */
async function settledJobStates(boss: PgBoss, importId: string): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const states = await jobStates(boss, importId);
    if (!states.includes("active") || Date.now() > deadline) return states;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("CSV import through pg-boss", () => {
  let boss: PgBoss;
  let tenant: Tenant;
  const caller = () => createCaller(contextFor(tenant.user, tenant.workspaceId));

  beforeAll(async () => {
    boss = await getBoss();
    await startWorkers(boss);
    tenant = await freshTenant();
  });

  afterAll(async () => {
    await stopBoss(5_000);
    await closeDatabase();
  });

  it("runs a Windows-1252 file to completion in the worker, with live progress", async () => {
    const uploaded = await upload(tenant, FILE, { fileName: "clientes.csv" });
    expect(uploaded.detected).toMatchObject({
      encoding: "windows1252",
      delimiter: ";",
      hasHeader: true,
    });

    const started = await caller().imports.start({ importId: uploaded.id, dryRun: false });
    expect(started.status).toBe("queued");

    // The progress subscription yields until the import is terminal, then ends.
    const seen: ImportView[] = [];
    for await (const view of await caller().imports.progress({ importId: uploaded.id })) {
      seen.push(view);
    }
    const last = seen.at(-1)!;
    expect(last.status).toBe("completed");
    expect(
      seen.map((v) => v.status).every((s) => ["queued", "running", "completed"].includes(s)),
    ).toBe(true);

    const done = await caller().imports.get({ importId: uploaded.id });
    expect(done).toMatchObject({ status: "completed", dryRun: false, errorMessage: null });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(countsOf(done)).toEqual(
      counts({ processed: 4, inserted: 2, duplicates: 1, invalid: 1 }),
    );
    expect(done.counts!.bytesRead).toBe(FILE.length);

    expect(await contactMap(tenant.workspaceId)).toEqual({
      "+595981123456": {
        nombre: "María Núñez",
        sustantivo: "Sra.",
        groups: ["Clientes", "Norte", "VIP"],
        attributes: { ciudad: "Asunción" },
      },
      "+595982200002": {
        nombre: "José Ñandú",
        sustantivo: "Sr.",
        groups: ["Clientes"],
        attributes: { ciudad: "Encarnación" },
      },
    });
    expect(await importErrorsOf(uploaded.id)).toEqual([
      { rowNumber: 5, reason: "phone.letters", raw: "teléfono?;Sin número;;;" },
    ]);
    expect(await settledJobStates(boss, uploaded.id)).toEqual(["completed"]);
    expect((await caller().imports.list({})).rows.map((r) => r.id)).toContain(uploaded.id);

    // A second delivery of the job (a retry, a duplicate send) finds the import finished.
    const contactsBefore = await contactsIn(tenant.workspaceId);
    const membershipsBefore = await membershipRowsIn(tenant.workspaceId);
    const again = await boss.send(importContacts.name, {
      workspaceId: tenant.workspaceId,
      importId: uploaded.id,
    });
    const deadline = Date.now() + 20_000;
    let state: string | undefined;
    while (Date.now() < deadline) {
      [state] = (await boss.findJobs(importContacts.name, { id: again! })).map((j) => j.state);
      if (state === "completed" || state === "failed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe("completed");
    const after = await caller().imports.get({ importId: uploaded.id });
    expect(after.counts).toEqual(done.counts);
    expect(after.finishedAt).toEqual(done.finishedAt);
    expect(await contactsIn(tenant.workspaceId)).toEqual(contactsBefore);
    expect(await membershipRowsIn(tenant.workspaceId)).toEqual(membershipsBefore);
    expect(await importErrorsOf(uploaded.id)).toHaveLength(1);
  }, 30_000);

  it("runs a dry run in the worker: counts only", async () => {
    const other = await freshTenant();
    const uploaded = await upload(other, FILE);
    await createCaller(contextFor(other.user, other.workspaceId)).imports.start({
      importId: uploaded.id,
      dryRun: true,
    });
    const done = await waitForImport(other.workspaceId, uploaded.id);
    expect(done).toMatchObject({ status: "completed", dryRun: true });
    expect(countsOf(done)).toEqual(
      counts({ processed: 4, inserted: 2, duplicates: 1, invalid: 1 }),
    );
    expect(await contactsIn(other.workspaceId)).toEqual([]);
    expect(await groupNamesIn(other.workspaceId)).toEqual([]);
    expect((await importErrorsOf(uploaded.id)).map((e) => e.rowNumber)).toEqual([5]);
  }, 30_000);
});
