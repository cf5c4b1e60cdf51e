/**
 * Helpers of the benchmarks that call procedures as a signed-in member (not a benchmark):
 * a tRPC caller for a fresh viewer of a workspace, and the percentile and pick helpers
 * their timing loops share.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";

/** The p-th percentile (0–100) of `xs`, nearest rank. */
export const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** A random element. */
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** The app's tRPC caller as a new viewer of `workspaceId` (membership, RLS, output schemas). */
export async function viewerCaller(workspaceId: string, owner: pg.Client) {
  const { createCaller } = await import("../src/server/root");
  const userId = randomUUID();
  await owner.query("insert into \"user\" (id, sub, email, name) values ($1, $2, $3, 'Bench')", [
    userId,
    `bench-${userId}`,
    `bench-${userId}@example.test`,
  ]);
  await owner.query(
    "insert into membership (workspace_id, user_id, role, source) values ($1, $2, 'viewer', 'manual')",
    [workspaceId, userId],
  );
  return createCaller({
    session: {
      user: { id: userId, name: "Bench", email: null },
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    },
    meta: { ip: "127.0.0.1", userAgent: "bench", requestId: "bench" },
    workspaceHint: workspaceId,
  } as never);
}
