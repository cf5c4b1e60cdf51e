/**
 * The import's state machine (imports.queries): each transition is a compare-and-set on the
 * state it leaves, so a transition from the wrong state — or from a row someone changed
 * meanwhile — does nothing and says so (null).
 */
import { afterAll, describe, expect, it } from "vitest";
import { EMPTY_COUNTS } from "@/modules/contacts/import-counts";
import {
  findImportForRun,
  markCanceled,
  markCompleted,
  markFailed,
  markQueued,
  markRunning,
  markUnqueued,
  requestCancel,
  saveProgress,
  type ImportRef,
} from "@/modules/contacts/imports.queries";
import { closeDatabase } from "@/server/db/client";
import { withTenant, type Tx } from "@/server/db/tenant";
import { freshTenant, upload } from "../helpers/import";

const FILE = "telefono;nombre\n0981123456;Ana\n";
const QUEUE_OPTIONS = { dryRun: false, options: { mapping: [], hasHeader: true } };

async function uploaded(): Promise<ImportRef> {
  const tenant = await freshTenant();
  const view = await upload(tenant, FILE);
  return { workspaceId: tenant.workspaceId, importId: view.id };
}

function inTenant<T>(ref: ImportRef, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant({ workspaceId: ref.workspaceId }, fn);
}

async function start(ref: ImportRef, batchRows = 100) {
  const row = (await inTenant(ref, (tx) => findImportForRun(tx, ref)))!;
  return inTenant(ref, (tx) =>
    markRunning(tx, ref, {
      // Whatever it is: the row refuses a start from anything but queued or running.
      from: row.status as "queued",
      version: row.version,
      counts: { ...EMPTY_COUNTS },
      batchRows,
    }),
  );
}

describe("import state machine", () => {
  afterAll(async () => {
    await closeDatabase();
  });

  it("queues once, and can be put back when the job could not be queued", async () => {
    const ref = await uploaded();
    expect((await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS)))?.status).toBe(
      "queued",
    );
    expect(await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS))).toBeNull();
    expect((await inTenant(ref, (tx) => markUnqueued(tx, ref)))?.status).toBe("uploaded");
    expect(await inTenant(ref, (tx) => markUnqueued(tx, ref))).toBeNull();
  });

  it("runs only from queued (or a resumed run), on the version read, with a fixed batch size", async () => {
    const ref = await uploaded();
    expect(await start(ref)).toBeNull(); // not queued yet
    await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS));

    const read = (await inTenant(ref, (tx) => findImportForRun(tx, ref)))!;
    expect(await inTenant(ref, (tx) => requestCancel(tx, ref))).toBeNull(); // not running
    // Someone changes the row after it was read (here: put back and queued again).
    await inTenant(ref, (tx) => markUnqueued(tx, ref));
    await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS));
    const stale = {
      from: "queued" as const,
      version: read.version,
      counts: { ...EMPTY_COUNTS },
      batchRows: 5,
    };
    expect(await inTenant(ref, (tx) => markRunning(tx, ref, stale))).toBeNull();

    expect(await start(ref, 100)).toBe(100);
    // A retry resumes it, with the batch size of the first start.
    expect(await start(ref, 7)).toBe(100);
    expect(await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS))).toBeNull();

    const counts = { ...EMPTY_COUNTS, processed: 1, inserted: 1, total: 1 };
    expect((await inTenant(ref, (tx) => saveProgress(tx, ref, counts)))?.counts).toEqual(counts);
    const done = await inTenant(ref, (tx) => markCompleted(tx, ref, counts));
    expect(done).toMatchObject({ status: "completed", counts });
    expect(done?.finishedAt).toBeInstanceOf(Date);
    // Finished is final.
    expect(await inTenant(ref, (tx) => markFailed(tx, ref, counts, "late"))).toBeNull();
    expect(await inTenant(ref, (tx) => saveProgress(tx, ref, EMPTY_COUNTS))).toBeNull();
    expect(await start(ref)).toBeNull();
  });

  it("cancels a waiting import at once, a running one only once asked", async () => {
    const waiting = await uploaded();
    expect((await inTenant(waiting, (tx) => markCanceled(tx, waiting)))?.status).toBe("canceled");

    const running = await uploaded();
    await inTenant(running, (tx) => markQueued(tx, running, QUEUE_OPTIONS));
    await start(running);
    const counts = { ...EMPTY_COUNTS, processed: 3 };
    expect(await inTenant(running, (tx) => markCanceled(tx, running, counts))).toBeNull();
    expect((await inTenant(running, (tx) => requestCancel(tx, running)))?.status).toBe("running");
    const canceled = await inTenant(running, (tx) => markCanceled(tx, running, counts));
    expect(canceled).toMatchObject({ status: "canceled", counts });
    expect(await inTenant(running, (tx) => markCompleted(tx, running, counts))).toBeNull();
  });

  it("fails a running import with its message, cut to 500 characters", async () => {
    const ref = await uploaded();
    await inTenant(ref, (tx) => markQueued(tx, ref, QUEUE_OPTIONS));
    await start(ref);
    const failed = await inTenant(ref, (tx) => markFailed(tx, ref, EMPTY_COUNTS, "x".repeat(600)));
    expect(failed?.status).toBe("failed");
    expect(failed?.errorMessage).toHaveLength(500);
  });
});
