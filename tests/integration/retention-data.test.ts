/**
 * Retention. Uploaded CSV files (personal data) are deleted as their import completes, fails
 * or is canceled (a completed dry run's, once the window has passed); an upload never started
 * within IMPORT_UPLOAD_RETENTION_HOURS is deleted by the maintenance job, which also sweeps files an ended import left behind; a
 * REST upload refused before its import starts leaves nothing. Audit rows older than
 * AUDIT_LOG_RETENTION_DAYS and sessions older than SESSION_RETENTION_DAYS are deleted by the
 * daily job, as the owner (audit_log is append-only for the app role).
 */
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { purgeImportUploads } from "@jobs/maintenance/purge-import-uploads.job";
import { applyRetention } from "@jobs/maintenance/retention.job";
import { JOBS } from "@jobs/registry";
import { afterAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/v1/contacts/imports/route";
import { env } from "@/env";
import { auditLogs } from "@/modules/audit/audit.table";
import { contactImportChunks, contactImports } from "@/modules/contacts/contacts.table";
import { runImport } from "@/modules/contacts/import/pipeline";
import { markQueued } from "@/modules/contacts/imports.queries";
import { cancelImport, getImport, startImport } from "@/modules/contacts/imports.service";
import { authSessions } from "@/server/auth/auth-session.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { stopBoss } from "@/server/queue/boss";
import { createUser } from "../helpers/fixtures";
import { freshTenant, importCsv, storedUploadsIn, upload } from "../helpers/import";
import { call, keyFor, type ErrorBody } from "./api-helpers";

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

const cron = { id: "test", retryCount: 0, signal: new AbortController().signal, data: {} };
const CSV = "telefono,nombre\n0981000001,Ana\n0981000002,Beto\n";

async function ageImport(importId: string, hours: number) {
  await systemDb()
    .update(contactImports)
    .set({ createdAt: sql`now() - make_interval(hours => ${hours})` })
    .where(eq(contactImports.id, importId));
}

describe("retention of uploaded files", () => {
  it("the maintenance jobs are registered with their schedules", () => {
    const byName = new Map(JOBS.map((j) => [j.name, j]));
    expect(byName.get(purgeImportUploads.name)?.cron?.expression).toBe("*/15 * * * *");
    expect(byName.get(applyRetention.name)?.cron?.expression).toBe("35 3 * * *");
    expect(env.IMPORT_UPLOAD_RETENTION_HOURS).toBe(24);
  });

  it("an import deletes its file as it completes, fails or is canceled", async () => {
    const done = await freshTenant();
    expect((await importCsv(done, CSV)).status).toBe("completed");
    expect(await storedUploadsIn(done.workspaceId)).toEqual({ imports: 1, chunks: 0 });

    const canceled = await freshTenant();
    const waiting = await upload(canceled, CSV);
    expect((await storedUploadsIn(canceled.workspaceId)).chunks).toBe(1);
    await cancelImport({ workspaceId: canceled.workspaceId, importId: waiting.id });
    expect(await storedUploadsIn(canceled.workspaceId)).toEqual({ imports: 1, chunks: 0 });

    // A run that fails (here: a stored detection it cannot decode with) still drops the file.
    // Queued without a pg-boss job, so no worker of another test file takes the run.
    const failed = await freshTenant();
    const uploaded = await upload(failed, CSV);
    const ref = { workspaceId: failed.workspaceId, importId: uploaded.id };
    await withTenant({ workspaceId: ref.workspaceId }, (tx) =>
      markQueued(tx, ref, {
        dryRun: false,
        options: { mapping: uploaded.detected!.mapping, hasHeader: true },
      }),
    );
    await systemDb()
      .update(contactImports)
      .set({ detected: { ...uploaded.detected, encoding: "no-such-encoding" } })
      .where(eq(contactImports.id, uploaded.id));
    await runImport(ref);
    expect((await getImport(ref)).status).toBe("failed");
    expect((await storedUploadsIn(failed.workspaceId)).chunks).toBe(0);
  });

  it("uploads never started within the window are deleted, row and file; newer ones stay", async () => {
    const tenant = await freshTenant();
    const [stale, fresh] = [await upload(tenant, CSV), await upload(tenant, CSV)];
    await ageImport(stale.id, env.IMPORT_UPLOAD_RETENTION_HOURS + 1);
    await ageImport(fresh.id, env.IMPORT_UPLOAD_RETENTION_HOURS - 1);

    const result = (await purgeImportUploads.handle(cron)) as { expired: number };
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect((await getImport({ workspaceId: tenant.workspaceId, importId: fresh.id })).status).toBe(
      "uploaded",
    );
    const chunks = await systemDb()
      .select({ importId: contactImportChunks.importId })
      .from(contactImportChunks)
      .where(inArray(contactImportChunks.importId, [stale.id, fresh.id]));
    expect(chunks.map((c) => c.importId)).toEqual([fresh.id]);
    // Expired means gone: it can no longer be started.
    await expect(
      startImport({
        workspaceId: tenant.workspaceId,
        importId: stale.id,
        options: { dryRun: false },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("sweeps the file an ended import left behind (a crash between two commits)", async () => {
    const tenant = await freshTenant();
    const uploaded = await upload(tenant, CSV);
    // Ended without its file deleted, as a crash could leave it.
    await systemDb()
      .update(contactImports)
      .set({ status: "failed", finishedAt: new Date() })
      .where(eq(contactImports.id, uploaded.id));
    expect((await storedUploadsIn(tenant.workspaceId)).chunks).toBe(1);
    await purgeImportUploads.handle(cron);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 1, chunks: 0 });
  });

  it("a REST upload refused before its import starts leaves neither row nor file", async () => {
    const tenant = await freshTenant();
    const { secret } = await keyFor(tenant.workspaceId);
    const data = new FormData();
    data.append("mapping", JSON.stringify([{ kind: "field", field: "nombre" }]));
    data.append("file", new Blob(["nombre\nAna\n"], { type: "text/csv" }), "sin-telefono.csv");
    const res = await call(uploadRoute, {
      method: "POST",
      path: "/contacts/imports",
      key: secret,
      rawBody: data,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/phone/);
    expect(await storedUploadsIn(tenant.workspaceId)).toEqual({ imports: 0, chunks: 0 });
  });
});

describe("retention of audit rows and sessions", () => {
  it("deletes audit rows and sessions past their retention, as the owner", async () => {
    const tenant = await freshTenant();
    const rows = await systemDb()
      .insert(auditLogs)
      .values([
        { workspaceId: tenant.workspaceId, action: "test.old", createdAt: daysAgo(400) },
        { workspaceId: tenant.workspaceId, action: "test.recent", createdAt: daysAgo(300) },
      ])
      .returning({ id: auditLogs.id, action: auditLogs.action });
    // The app role cannot delete audit rows at all: retention has to run as the owner.
    await expect(
      withTenant({ workspaceId: tenant.workspaceId }, (tx) =>
        tx.delete(auditLogs).where(eq(auditLogs.workspaceId, tenant.workspaceId)),
      ),
    ).rejects.toThrow();

    const user = await createUser();
    const session = (id: string, created: Date) => ({
      id,
      userId: user.id,
      accessToken: "sealed",
      accessTokenExpiresAt: new Date(),
      createdAt: created,
      // Used a minute ago: only the absolute age can end it.
      updatedAt: new Date(Date.now() - 60_000),
    });
    const [oldId, newId] = [randomUUID(), randomUUID()];
    await systemDb()
      .insert(authSessions)
      .values([
        session(oldId, daysAgo(env.SESSION_RETENTION_DAYS + 1)),
        session(newId, daysAgo(1)),
      ]);

    const result = (await applyRetention.handle(cron)) as { auditRows: number; sessions: number };
    expect(result.auditRows).toBeGreaterThanOrEqual(1);
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    const left = await systemDb()
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(
        and(
          eq(auditLogs.workspaceId, tenant.workspaceId),
          inArray(
            auditLogs.id,
            rows.map((r) => r.id),
          ),
        ),
      );
    expect(left.map((r) => r.action)).toEqual(["test.recent"]);
    const sessions = await systemDb()
      .select({ id: authSessions.id })
      .from(authSessions)
      .where(inArray(authSessions.id, [oldId, newId]));
    expect(sessions.map((s) => s.id)).toEqual([newId]);
  });
});

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}
