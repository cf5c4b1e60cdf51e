import { beforeEach, describe, expect, it, vi } from "vitest";

// The database answers through this: rows present = the session exists.
const db = vi.hoisted(() => ({
  rows: new Map<string, boolean>(),
  queries: 0,
  gate: null as Promise<void> | null,
}));

vi.mock("@/server/db/client", () => ({
  systemDb: () => {
    let id = "";
    const chain = {
      select: () => chain,
      from: () => chain,
      where: (cond: { queryChunks?: unknown[] }) => {
        // eq(authSessions.id, value): the bound value is the chunk carrying `value`.
        const param = cond.queryChunks?.find(
          (c): c is { value: string } =>
            typeof c === "object" &&
            c !== null &&
            typeof (c as { value?: unknown }).value === "string",
        );
        id = param?.value ?? "";
        return chain;
      },
      limit: async () => {
        db.queries++;
        if (db.gate) await db.gate;
        return db.rows.get(id) ? [{ id }] : [];
      },
    };
    return chain;
  },
}));

type Liveness = typeof import("./session-liveness");

async function freshModule(): Promise<Liveness> {
  vi.resetModules();
  return import("./session-liveness");
}

describe("session liveness cache", () => {
  beforeEach(() => {
    db.rows.clear();
    db.queries = 0;
    db.gate = null;
    delete (globalThis as { __salestrackSessionLiveness?: unknown }).__salestrackSessionLiveness;
  });

  it("asks the database again once the window has passed", async () => {
    const { isSessionAlive, SESSION_CHECK_TTL_MS } = await freshModule();
    db.rows.set("s1", true);
    const t0 = 1_000_000;
    expect(await isSessionAlive("s1", t0)).toBe(true);
    db.rows.delete("s1"); // signed out by another process
    expect(await isSessionAlive("s1", t0 + SESSION_CHECK_TTL_MS - 1)).toBe(true);
    expect(db.queries).toBe(1);
    expect(await isSessionAlive("s1", t0 + SESSION_CHECK_TTL_MS)).toBe(false);
    expect(db.queries).toBe(2);
    // Gone stays gone without asking again.
    expect(await isSessionAlive("s1", t0 + 10 * SESSION_CHECK_TTL_MS)).toBe(false);
    expect(db.queries).toBe(2);
  });

  it("shares one cache between copies of the module (Next bundles pages and routes apart)", async () => {
    const routes = await freshModule();
    const pages = await freshModule();
    expect(routes).not.toBe(pages);
    db.rows.set("s2", true);
    expect(await pages.isSessionAlive("s2")).toBe(true);
    routes.forgetSession("s2");
    expect(await pages.isSessionAlive("s2")).toBe(false);
  });

  it("lets a sign-out win over a check that was already under way", async () => {
    const { isSessionAlive, forgetSession } = await freshModule();
    db.rows.set("s3", true);
    let release!: () => void;
    db.gate = new Promise((r) => (release = r));
    const check = isSessionAlive("s3");
    forgetSession("s3");
    release();
    expect(await check).toBe(false);
    expect(await isSessionAlive("s3")).toBe(false);
  });

  it("runs one query for concurrent checks of a session", async () => {
    const { isSessionAlive } = await freshModule();
    db.rows.set("s4", true);
    const results = await Promise.all(Array.from({ length: 5 }, () => isSessionAlive("s4")));
    expect(results).toEqual([true, true, true, true, true]);
    expect(db.queries).toBe(1);
  });
});
