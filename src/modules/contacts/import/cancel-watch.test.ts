import type { PoolClient } from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const cancelRunningQuery = vi.fn((_client: PoolClient) => Promise.resolve());
const findImport = vi.fn();

vi.mock("@/server/db/cancel-query", () => ({
  cancelRunningQuery: (c: PoolClient) => cancelRunningQuery(c),
}));
vi.mock("@/server/db/tenant", () => ({
  withTenant: (_ctx: unknown, fn: (tx: unknown) => unknown) => fn({}),
}));
vi.mock("../imports.queries", () => ({
  findImport: (...args: unknown[]) => findImport(...args),
}));

const { RECANCEL_MS, watchForCancel } = await import("./cancel-watch");

const ref = { workspaceId: "w", importId: "i" };
const clients = [{ id: 1 }, { id: 2 }] as unknown as PoolClient[];
const running = { status: "running", cancelRequestedAt: null };

describe("import cancel watch", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    cancelRunningQuery.mockClear();
    findImport.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it("cancels nothing while no cancel is asked, and reports so", async () => {
    findImport.mockResolvedValue(running);
    const watch = watchForCancel(ref, clients, 1000);
    await vi.advanceTimersByTimeAsync(3500);
    expect(findImport).toHaveBeenCalledTimes(3);
    expect(cancelRunningQuery).not.toHaveBeenCalled();
    expect(await watch.stop()).toBe(false);
  });

  it("once asked, cancels every connection and keeps canceling until stopped (one may land between statements)", async () => {
    findImport.mockResolvedValueOnce(running).mockResolvedValue({
      status: "running",
      cancelRequestedAt: new Date(),
    });
    const watch = watchForCancel(ref, clients, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(cancelRunningQuery).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(cancelRunningQuery.mock.calls.map(([c]) => c)).toEqual(clients);
    await vi.advanceTimersByTimeAsync(RECANCEL_MS * 3);
    expect(cancelRunningQuery).toHaveBeenCalledTimes(2 * 4);
    // The row is read no more once the cancel is known.
    expect(findImport).toHaveBeenCalledTimes(2);
    expect(await watch.stop()).toBe(true);
    await vi.advanceTimersByTimeAsync(RECANCEL_MS * 5);
    expect(cancelRunningQuery).toHaveBeenCalledTimes(2 * 4);
  });

  it("an import no longer running (or gone) stops the batch too", async () => {
    findImport.mockResolvedValue(undefined);
    const watch = watchForCancel(ref, clients.slice(0, 1), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(cancelRunningQuery).toHaveBeenCalledTimes(1);
    expect(await watch.stop()).toBe(true);
  });

  it("stop waits for a cancel request in flight", async () => {
    findImport.mockResolvedValue({ status: "canceled", cancelRequestedAt: new Date() });
    let land!: () => void;
    cancelRunningQuery.mockImplementationOnce(() => new Promise<void>((r) => (land = r)));
    const watch = watchForCancel(ref, clients.slice(0, 1), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = watch.stop().then((v) => (stopped = v));
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    land();
    await stopping;
    expect(stopped).toBe(true);
  });
});
