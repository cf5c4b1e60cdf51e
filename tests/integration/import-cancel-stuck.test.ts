/**
 * Cancel always takes effect. A running import whose runner is alive (it holds the run's
 * lock) is asked, and the runner stops at its next batch boundary. One that no live runner
 * holds — its worker died, or pg-boss gave its job up while a wedged worker keeps the lock —
 * is canceled at once with the counts its ledger holds, and a later retry of the job does
 * nothing. Ending the import deletes its stored file. (IMPORT_BATCH_ROWS=100 in this file.)
 */
import type { PoolClient } from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.IMPORT_BATCH_ROWS = "100";
});

import { importContacts } from "@jobs/contacts/import.job";
import { runImport } from "@/modules/contacts/import/pipeline";
import { markQueued } from "@/modules/contacts/imports.queries";
import { cancelImport, getImport } from "@/modules/contacts/imports.service";
import { closeDatabase, ownerPool } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { getBoss, stopBoss } from "@/server/queue/boss";
import {
  contactsIn,
  counts,
  countsOf,
  freshTenant,
  paraguayMobiles,
  storedUploadsIn,
  upload,
  type Tenant,
} from "../helpers/import";

afterAll(async () => {
  delete process.env.IMPORT_BATCH_ROWS;
  await stopBoss(2_000);
  await closeDatabase();
});

const BATCH = 100;

/** An import queued without a pg-boss job: no worker of another test file can take it. */
async function queuedWithoutJob(tenant: Tenant, rows: number) {
  const lines = paraguayMobiles(rows).map((m, i) => `${m.national},Contacto ${i + 1}`);
  const uploaded = await upload(tenant, `telefono,nombre\n${lines.join("\n")}\n`);
  const ref = { workspaceId: tenant.workspaceId, importId: uploaded.id };
  await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
    markQueued(tx, ref, {
      dryRun: false,
      options: { mapping: uploaded.detected!.mapping, hasHeader: true },
    }),
  );
  return ref;
}

/** Runs one batch and leaves the import `running`, as a worker killed after it would. */
async function runOneBatchThenDie(ref: { workspaceId: string; importId: string }) {
  let looks = 0;
  const signal = {
    get aborted() {
      return ++looks > 1;
    },
  } as AbortSignal;
  await runImport({ ...ref, signal });
  const stuck = await getImport(ref);
  expect(stuck.status).toBe("running");
  expect(countsOf(stuck)).toEqual(counts({ processed: BATCH, inserted: BATCH }));
}

/** Holds the import's run lock on its own connection, as a live (or wedged) runner does. */
async function holdRunLock(importId: string): Promise<PoolClient> {
  const client = await ownerPool().connect();
  await client.query("begin");
  const { rows } = await client.query<{ ok: boolean }>(
    "select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as ok",
    [`contact_import:${importId}`],
  );
  expect(rows[0]!.ok).toBe(true);
  return client;
}

describe("cancel of a running import", () => {
  it("the import job keeps a 30 s heartbeat, so a dead worker's run is retried in minutes", async () => {
    const queue = await (await getBoss()).getQueue(importContacts.name);
    expect(queue?.heartbeatSeconds).toBe(30);
  });

  it("no live runner (its worker died): canceled at once, with the committed counts", async () => {
    const tenant = await freshTenant();
    const ref = await queuedWithoutJob(tenant, 350);
    await runOneBatchThenDie(ref);
    expect((await storedUploadsIn(ref.workspaceId)).chunks).toBeGreaterThan(0);

    const view = await cancelImport(ref);
    expect(view.status).toBe("canceled");
    expect(view.finishedAt).toBeInstanceOf(Date);
    expect(countsOf(view)).toEqual(counts({ processed: BATCH, inserted: BATCH }));
    // The file is gone with the import's end.
    expect(await storedUploadsIn(ref.workspaceId)).toEqual({ imports: 1, chunks: 0 });

    // pg-boss retrying the job later changes nothing.
    await runImport(ref);
    expect((await getImport(ref)).status).toBe("canceled");
    expect(await contactsIn(ref.workspaceId)).toHaveLength(BATCH);
  });

  it("a live runner is asked, and stops at its next batch boundary", async () => {
    const tenant = await freshTenant();
    const ref = await queuedWithoutJob(tenant, 350);
    await runOneBatchThenDie(ref);

    const runner = await holdRunLock(ref.importId);
    try {
      const asked = await cancelImport(ref);
      expect(asked.status).toBe("running");
    } finally {
      await runner.query("rollback");
      runner.release();
    }
    // The runner (here: the job resuming) sees the request before writing another batch.
    await runImport(ref);
    const view = await getImport(ref);
    expect(view.status).toBe("canceled");
    expect(countsOf(view)).toEqual(counts({ processed: BATCH, inserted: BATCH }));
    expect(await contactsIn(ref.workspaceId)).toHaveLength(BATCH);
    expect((await storedUploadsIn(ref.workspaceId)).chunks).toBe(0);
  });

  it("pg-boss gave the job up while a wedged worker holds the lock: canceled at once", async () => {
    const tenant = await freshTenant();
    const ref = await queuedWithoutJob(tenant, 350);
    await runOneBatchThenDie(ref);
    // The job pg-boss now holds for the import is not active (it waits for its retry), so
    // whoever still holds the lock is a leftover of an attempt pg-boss abandoned.
    const boss = await getBoss();
    await boss.send(importContacts.name, ref, {
      singletonKey: ref.importId,
      startAfter: new Date(Date.now() + 3_600_000),
    });

    const wedged = await holdRunLock(ref.importId);
    try {
      const view = await cancelImport(ref);
      expect(view.status).toBe("canceled");
      expect(countsOf(view)).toEqual(counts({ processed: BATCH, inserted: BATCH }));
    } finally {
      await wedged.query("rollback");
      wedged.release();
      await ownerPool().query("delete from pgboss.job where name = $1 and singleton_key = $2", [
        importContacts.name,
        ref.importId,
      ]);
    }
    // The wedged runner, waking up, stops at its next batch check.
    await runImport(ref);
    expect((await getImport(ref)).status).toBe("canceled");
    expect(await contactsIn(ref.workspaceId)).toHaveLength(BATCH);
  });
});
