/**
 * "Select all N that match": a bulk action over the list's filters, run server-side in batches
 * of 1,000 with its progress kept on the run, resumable, and audited once with the filter and
 * the counts.
 */
import { bulkContactsByFilter } from "@jobs/contacts/bulk.job";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { runBulkRun } from "@/modules/contacts/bulk-runs.service";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, ownerPool, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { stopBoss } from "@/server/queue/boss";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

/** Runs the queued job's body here (after taking it out of pg-boss) and returns the run. */
async function runQueued(workspaceId: string, runId: string) {
  const { rowCount } = await ownerPool().query(
    "delete from pgboss.job where name = $1 and singleton_key = $2 and state in ('created', 'retry')",
    [bulkContactsByFilter.name, runId],
  );
  expect(rowCount).toBe(1);
  await runBulkRun({ workspaceId, runId });
}

describe("contacts: bulk actions over every contact that matches", () => {
  let ws: Workspace;
  let admin: User;
  let viewer: User;
  const caller = (user = admin) => createCaller(contextFor(user, ws.id));

  beforeAll(async () => {
    ws = await createWorkspace({ defaultCountry: "PY" });
    [admin, viewer] = await Promise.all([createUser(), createUser()]);
    await addMember(ws, admin, "admin", "owner");
    await addMember(ws, viewer, "viewer");
    // 2,500 "Feria" contacts (three batches) and 40 others the filter must leave alone.
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, nombre, source)
          select ${ws.id}, '+595982' || lpad(g::text, 6, '0'), 'Cliente Feria ' || g, 'csv'
            from generate_series(1, 2500) g`,
    );
    await systemDb().execute(
      sql`insert into contact (workspace_id, phone, nombre, source)
          select ${ws.id}, '+595983' || lpad(g::text, 6, '0'), 'Otro ' || g, 'manual'
            from generate_series(1, 40) g`,
    );
  });

  afterAll(async () => {
    await stopBoss();
    await closeDatabase();
  });

  const auditOf = async (action: string) =>
    systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, action)));

  it("adds every match to a new group in batches, with progress, audited once", async () => {
    const list = await caller().contacts.list({ search: "feria" });
    expect(list.total).toBe(2500);
    const run = await caller().contacts.bulkByFilter({
      filters: { search: "feria" },
      action: "addToGroup",
      groupName: "Feria 2026",
      expected: list.total,
    });
    expect(run).toMatchObject({ status: "queued", processed: 0, expected: 2500 });
    await runQueued(ws.id, run.id);
    const done = await caller(viewer).contacts.bulkRun({ id: run.id });
    expect(done).toMatchObject({ status: "completed", processed: 2500, affected: 2500 });
    expect(done.finishedAt).not.toBeNull();

    const group = (await caller().groups.options({ search: "Feria 2026" }))[0]!;
    expect((await caller().contacts.list({ groupId: group.id })).total).toBe(2500);
    const others = await caller().contacts.list({ groupId: group.id, search: "otro" });
    expect(others.total).toBe(0);

    const [audit, ...more] = await auditOf("contact.bulk_grouped");
    expect(more).toHaveLength(0);
    expect(audit!.actorUserId).toBe(admin.id);
    expect(audit!.after).toMatchObject({
      filters: { search: "feria" },
      count: 2500,
      matched: 2500,
      expected: 2500,
      groupId: group.id,
    });
    expect(audit!.ip).toBe("127.0.0.1");
  });

  it("resumes from its cursor: a second delivery of the job changes nothing", async () => {
    const run = await caller().contacts.bulkByFilter({
      filters: { search: "feria" },
      action: "optOut",
      reason: "Pidió no recibir más",
      expected: 2500,
    });
    await runQueued(ws.id, run.id);
    await runBulkRun({ workspaceId: ws.id, runId: run.id });
    expect(await caller().contacts.bulkRun({ id: run.id })).toMatchObject({
      status: "completed",
      processed: 2500,
      affected: 2500,
    });
    expect((await caller().contacts.list({ optedOut: "only" })).total).toBe(2500);
    const suppressed = await systemDb().execute<{ n: number }>(
      sql`select count(*)::int as n from suppression where workspace_id = ${ws.id}`,
    );
    expect(suppressed.rows[0]!.n).toBe(2500);
    const audits = await auditOf("contact.bulk_opted_out");
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ count: 2500, reason: "Pidió no recibir más" });
  });

  it("deletes every match and keeps the total exact", async () => {
    const run = await caller().contacts.bulkByFilter({
      filters: { optedOut: "only", source: "csv" },
      action: "delete",
      expected: 2500,
    });
    await runQueued(ws.id, run.id);
    expect(await caller().contacts.bulkRun({ id: run.id })).toMatchObject({
      status: "completed",
      affected: 2500,
    });
    const all = await caller().contacts.list({});
    expect(all).toMatchObject({ total: 40, totalIsEstimate: false });
    const [audit] = await auditOf("contact.bulk_deleted");
    expect(audit!.after).toMatchObject({
      filters: { optedOut: "only", source: "csv" },
      count: 2500,
    });
  });

  it("needs write access, and the action's group or reason", async () => {
    await expect(
      caller(viewer).contacts.bulkByFilter({ filters: {}, action: "delete", expected: 40 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      caller().contacts.bulkByFilter({ filters: {}, action: "optOut", expected: 40 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller().contacts.bulkRun({ id: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
