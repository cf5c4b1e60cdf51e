/**
 * Helpers of the benchmarks that act as a signed-in member (not a benchmark): a tRPC caller
 * for a fresh viewer of a workspace, a browser's session cookies, and the percentile and
 * pick helpers their timing loops share.
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

/** A new user of the app, member of `workspaceId` with `role`. */
export async function benchMember(
  owner: pg.Client,
  workspaceId: string,
  role: "admin" | "operator" | "viewer",
  name: string,
) {
  const sub = `bench-${randomUUID()}`;
  const {
    rows: [user],
  } = await owner.query<{ id: string; name: string; email: string }>(
    `insert into "user" (sub, email, name) values ($1, $2, $3) returning id, name, email`,
    [sub, `${sub}@bench.test`, name],
  );
  await owner.query(
    "insert into membership (workspace_id, user_id, role, source) values ($1, $2, $3, 'manual')",
    [workspaceId, user!.id, role],
  );
  return { ...user!, sub, workspaceId };
}

/** The app's tRPC caller as a new viewer of `workspaceId` (membership, RLS, output schemas). */
export async function viewerCaller(workspaceId: string, owner: pg.Client) {
  const { createCaller } = await import("../src/server/root");
  const { id: userId } = await benchMember(owner, workspaceId, "viewer", "Bench");
  return createCaller({
    session: {
      user: { id: userId, name: "Bench", email: null },
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    },
    meta: { ip: "127.0.0.1", userAgent: "bench", requestId: "bench" },
    workspaceHint: workspaceId,
  } as never);
}

/**
 * The cookies a signed-in browser sends: a session row with provider tokens good for 4 h (no
 * refresh during a run), its next-auth JWT, and the workspace cookie.
 */
export async function sessionCookie(
  user: { id: string; sub: string; name: string; email: string },
  workspaceId: string,
): Promise<string> {
  const { encode } = await import("next-auth/jwt");
  const { createAuthSession } = await import("../src/server/auth/token-store");
  const expiresAt = new Date(Date.now() + 4 * 3_600_000);
  const sid = await createAuthSession(user.id, { accessToken: "bench", expiresAt });
  const token = await encode({
    secret: process.env.NEXTAUTH_SECRET!,
    token: {
      name: user.name,
      email: user.email,
      sub: user.sub,
      uid: user.id,
      sid,
      ate: expiresAt.getTime(),
      ati: Date.now(),
    },
  });
  return `next-auth.session-token=${token}; st_ws=${workspaceId}`;
}
