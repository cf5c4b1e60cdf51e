/**
 * Log lines of a workspace become visible in id order: a writer whose transaction drew a
 * later id cannot commit before one still open with an earlier id, so a live stream reading
 * `id > last sent` never passes over a line that commits late.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logsAfter, appendLogs } from "@/modules/tasks/logs.service";
import { closeDatabase, ownerPool } from "@/server/db/client";
import { openTenantTransaction, withTenant } from "@/server/db/tenant";
import { freshTenant, type Tenant } from "../helpers/import";

let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  a = await freshTenant();
  b = await freshTenant();
});

afterAll(async () => {
  await closeDatabase();
});

async function waitingOn(pid: number): Promise<number> {
  const { rows } = await ownerPool().query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))",
    [pid],
  );
  return rows[0]!.n;
}

describe("log lines", () => {
  it("of one workspace commit in id order; another workspace does not wait", async () => {
    const first = await openTenantTransaction({ workspaceId: a.workspaceId });
    let second: Promise<void> | null = null;
    try {
      await appendLogs(first.tx, a.workspaceId, [{ level: "info", message: "first" }]);
      const { rows } = await first.client.query<{ pid: number }>("select pg_backend_pid() as pid");
      const pid = rows[0]!.pid;
      // The stream has seen nothing yet, and reads again only after the second line's commit.
      const before = await withTenant({ workspaceId: a.workspaceId }, (tx) =>
        logsAfter({
          tx,
          workspaceId: a.workspaceId,
          filters: {},
          after: { occurredAt: new Date(0), id: 0 },
        }),
      );
      expect(before).toEqual([]);
      second = withTenant({ workspaceId: a.workspaceId }, (tx) =>
        appendLogs(tx, a.workspaceId, [{ level: "info", message: "second" }]),
      );
      second.catch(() => undefined);
      for (let i = 0; i < 100 && (await waitingOn(pid)) === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await waitingOn(pid)).toBe(1);
      // Another workspace's lines are not held up.
      await withTenant({ workspaceId: b.workspaceId }, (tx) =>
        appendLogs(tx, b.workspaceId, [{ level: "info", message: "elsewhere" }]),
      );
      await first.commit();
    } finally {
      await first.rollback();
    }
    await second;
    const lines = await withTenant({ workspaceId: a.workspaceId }, (tx) =>
      logsAfter({
        tx,
        workspaceId: a.workspaceId,
        filters: {},
        after: { occurredAt: new Date(0), id: 0 },
      }),
    );
    expect(lines.map((l) => l.message)).toEqual(["first", "second"]);
    expect(lines[0]!.id).toBeLessThan(lines[1]!.id);
  });
});
