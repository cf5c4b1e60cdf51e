/**
 * cancelRunningQuery: a protocol cancel request stops the statement an app-role connection
 * is running (which `pg_cancel_backend()` from the app role may not do), and leaves an idle
 * connection usable.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cancelRunningQuery } from "@/server/db/cancel-query";
import { appPool, closeDatabase } from "@/server/db/client";

afterAll(async () => {
  await closeDatabase();
});

describe("cancelRunningQuery", () => {
  it("stops a running statement at once", async () => {
    const client = await appPool().connect();
    try {
      const started = Date.now();
      const sleeping = client.query("select pg_sleep(30)");
      sleeping.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      await cancelRunningQuery(client);
      await expect(sleeping).rejects.toMatchObject({ code: "57014" });
      expect(Date.now() - started).toBeLessThan(10_000);
      // The connection itself survives: only the statement was canceled.
      const { rows } = await client.query<{ one: number }>("select 1 as one");
      expect(rows[0]!.one).toBe(1);
    } finally {
      client.release();
    }
  });

  it("leaves an idle connection alone", async () => {
    const client = await appPool().connect();
    try {
      await cancelRunningQuery(client);
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await client.query<{ n: number }>("select 2 as n");
      expect(rows[0]!.n).toBe(2);
    } finally {
      client.release();
    }
  });
});
