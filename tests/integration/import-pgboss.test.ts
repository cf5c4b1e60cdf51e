/**
 * CSV import end to end through pg-boss: upload, start over tRPC, the worker's
 * `contacts.import` job runs it, progress streams to the subscription, the result is read
 * back over tRPC — and running the job again for the same import changes nothing.
 * The workers here run every queue, so this file gets a database of its own: on the shared
 * one they would take other files' queued imports (and those files would wait on them).
 */
import iconv from "iconv-lite";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportView } from "@/modules/contacts/imports.schema";
import type { Tenant } from "../helpers/import";
import { createOwnDatabase, ownDatabaseUrl, type OwnDatabase } from "../helpers/own-database";

/** The app's modules, loaded once this file's database is set (src/env.ts reads it at import). */
async function loadApp() {
  return {
    ...(await import("@jobs/contacts/import.job")),
    ...(await import("@jobs/worker")),
    ...(await import("@/server/db/client")),
    ...(await import("@/server/queue/boss")),
    ...(await import("@/server/root")),
    ...(await import("../helpers/fixtures")),
    ...(await import("../helpers/import")),
  };
}
let app: Awaited<ReturnType<typeof loadApp>>;
let db: OwnDatabase;

const FILE = iconv.encode(
  "Teléfono;Nombre;Sustantivo;Grupo;Ciudad\r\n" +
    "0981 123 456;María Núñez;Sra.;Clientes|VIP;Asunción\r\n" +
    "+595 982 200 002;José Ñandú;Sr.;Clientes;Encarnación\r\n" +
    "(0981) 123-456;;;Norte;\r\n" +
    "teléfono?;Sin número;;;\r\n",
  "win1252",
);

async function jobStates(boss: PgBoss, importId: string): Promise<string[]> {
  const jobs = await boss.findJobs(app.importContacts.name, { key: importId });
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
  const caller = () => app.createCaller(app.contextFor(tenant.user, tenant.workspaceId));

  beforeAll(async () => {
    db = await createOwnDatabase(ownDatabaseUrl("salestrack_import_pgboss"));
    process.env.DATABASE_URL = db.url;
    app = await loadApp();
    boss = await app.getBoss();
    await app.startWorkers(boss);
    tenant = await app.freshTenant();
  });

  afterAll(async () => {
    await app?.stopBoss(5_000);
    await app?.closeDatabase();
    await db?.drop();
  });

  it("runs a Windows-1252 file to completion in the worker, with live progress", async () => {
    const uploaded = await app.upload(tenant, FILE, { fileName: "clientes.csv" });
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
    expect(app.countsOf(done)).toEqual(
      app.counts({ processed: 4, inserted: 2, duplicates: 1, invalid: 1 }),
    );
    expect(done.counts!.bytesRead).toBe(FILE.length);

    expect(await app.contactMap(tenant.workspaceId)).toEqual({
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
    expect(await app.importErrorsOf(uploaded.id)).toEqual([
      { rowNumber: 5, reason: "phone.letters", raw: "teléfono?;Sin número;;;" },
    ]);
    expect(await settledJobStates(boss, uploaded.id)).toEqual(["completed"]);
    expect((await caller().imports.list({})).rows.map((r) => r.id)).toContain(uploaded.id);

    // A second delivery of the job (a retry, a duplicate send) finds the import finished.
    const contactsBefore = await app.contactsIn(tenant.workspaceId);
    const membershipsBefore = await app.membershipRowsIn(tenant.workspaceId);
    const again = await boss.send(app.importContacts.name, {
      workspaceId: tenant.workspaceId,
      importId: uploaded.id,
    });
    const deadline = Date.now() + 20_000;
    let state: string | undefined;
    while (Date.now() < deadline) {
      [state] = (await boss.findJobs(app.importContacts.name, { id: again! })).map((j) => j.state);
      if (state === "completed" || state === "failed") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe("completed");
    const after = await caller().imports.get({ importId: uploaded.id });
    expect(after.counts).toEqual(done.counts);
    expect(after.finishedAt).toEqual(done.finishedAt);
    expect(await app.contactsIn(tenant.workspaceId)).toEqual(contactsBefore);
    expect(await app.membershipRowsIn(tenant.workspaceId)).toEqual(membershipsBefore);
    expect(await app.importErrorsOf(uploaded.id)).toHaveLength(1);
  }, 30_000);

  it("runs a dry run in the worker: counts only", async () => {
    const other = await app.freshTenant();
    const uploaded = await app.upload(other, FILE);
    await app.createCaller(app.contextFor(other.user, other.workspaceId)).imports.start({
      importId: uploaded.id,
      dryRun: true,
    });
    const done = await app.waitForImport(other.workspaceId, uploaded.id);
    expect(done).toMatchObject({ status: "completed", dryRun: true });
    expect(app.countsOf(done)).toEqual(
      app.counts({ processed: 4, inserted: 2, duplicates: 1, invalid: 1 }),
    );
    expect(await app.contactsIn(other.workspaceId)).toEqual([]);
    expect(await app.groupNamesIn(other.workspaceId)).toEqual([]);
    expect((await app.importErrorsOf(uploaded.id)).map((e) => e.rowNumber)).toEqual([5]);
  }, 30_000);
});
