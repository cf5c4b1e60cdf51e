/**
 * The one tenant-transaction opener: Drizzle and the raw client see the same transaction,
 * the tenant context is set, a throw rolls back both, an open transaction ends exactly once,
 * and a connection whose commit failed is discarded instead of going back to the pool.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactGroups } from "@/modules/contacts/contacts.table";
import type { Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, ownerPool } from "@/server/db/client";
import { openTenantTransaction, withTenant, withTenantClient } from "@/server/db/tenant";
import { createWorkspace } from "../helpers/fixtures";

async function groupExists(id: string): Promise<boolean> {
  const { rowCount } = await ownerPool().query("select 1 from contact_group where id = $1", [id]);
  return rowCount === 1;
}

/** Whether the server still has a backend with this pid (closing one takes a moment). */
async function backendAlive(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const { rowCount } = await ownerPool().query("select 1 from pg_stat_activity where pid = $1", [
      pid,
    ]);
    if (rowCount === 0) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const insertGroup = (workspaceId: string, id: string) =>
  `insert into contact_group (id, workspace_id, name) values ('${id}', '${workspaceId}', 'g-${id}')`;

describe("tenant transactions", () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await createWorkspace();
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("gives Drizzle and the raw client one transaction, with the tenant context set", async () => {
    const id = randomUUID();
    const seen = await withTenantClient(
      { workspaceId: ws.id, userId: null },
      async ({ tx, client }) => {
        await client.query(insertGroup(ws.id, id));
        // Uncommitted, so only visible on the same transaction.
        const rows = await tx.select({ id: contactGroups.id }).from(contactGroups);
        const { rows: ctx } = await client.query<{ ws: string; pid: number }>(
          "select current_setting('app.workspace_id') as ws, pg_backend_pid() as pid",
        );
        const viaTx = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        return {
          ids: rows.map((r) => r.id),
          ws: ctx[0]!.ws,
          samePid: ctx[0]!.pid === viaTx.rows[0]!.pid,
        };
      },
    );
    expect(seen).toEqual({ ids: [id], ws: ws.id, samePid: true });
    expect(await groupExists(id)).toBe(true);
  });

  it("rolls back both views when fn throws, and keeps the connection", async () => {
    const id = randomUUID();
    let pid = 0;
    await expect(
      withTenantClient({ workspaceId: ws.id }, async ({ tx, client }) => {
        await client.query(insertGroup(ws.id, id));
        pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]!.pid;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await groupExists(id)).toBe(false);
    expect(await backendAlive(pid)).toBe(true);
  });

  it("discards a connection whose commit failed", async () => {
    let pid = 0;
    const failing = withTenant({ workspaceId: ws.id }, async (tx) => {
      pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]!.pid;
      // A deferred unique check: the statements succeed, the commit fails.
      await tx.execute(
        sql`create temp table st_defer (k int unique deferrable initially deferred) on commit drop`,
      );
      await tx.execute(sql`insert into st_defer values (1), (1)`);
    });
    await expect(failing).rejects.toThrow(/commit/);
    expect(await backendAlive(pid)).toBe(false);
  });

  it("holds a transaction open until commit or rollback, each ending it once", async () => {
    const kept = randomUUID();
    const dropped = randomUUID();
    const a = await openTenantTransaction({ workspaceId: ws.id });
    const b = await openTenantTransaction({ workspaceId: ws.id });
    await a.client.query(insertGroup(ws.id, kept));
    await b.tx.execute(sql.raw(insertGroup(ws.id, dropped)));
    expect(await groupExists(kept)).toBe(false);

    await a.commit();
    await b.rollback();
    // Later endings do nothing.
    await a.rollback();
    await b.commit();
    expect(await groupExists(kept)).toBe(true);
    expect(await groupExists(dropped)).toBe(false);
  });

  it("opens a read-only snapshot when asked", async () => {
    const snapshot = await openTenantTransaction(
      { workspaceId: ws.id },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    try {
      const { rows } = await snapshot.client.query<{ iso: string; ro: string }>(
        "select current_setting('transaction_isolation') as iso, current_setting('transaction_read_only') as ro",
      );
      expect(rows[0]).toEqual({ iso: "repeatable read", ro: "on" });
    } finally {
      await snapshot.rollback();
    }
  });
});
