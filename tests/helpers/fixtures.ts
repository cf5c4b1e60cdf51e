/**
 * Test data written as the owner (no row-level security), so each test builds exactly the
 * workspaces, users and memberships it needs. Every name is unique: test files share one
 * database and run in parallel.
 */
import { randomUUID } from "node:crypto";
import type { Session } from "next-auth";
import {
  memberships,
  users,
  workspaces,
  type MemberRole,
  type User,
  type Workspace,
} from "@/modules/workspaces/workspaces.table";
import { systemDb } from "@/server/db/client";
import type { TRPCContext } from "@/server/trpc";

export const TEST_META = { ip: "127.0.0.1", userAgent: "vitest", requestId: "test" };

export function uniqueSlug(prefix = "ws"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createUser(
  overrides: Partial<typeof users.$inferInsert> = {},
): Promise<User> {
  const tag = randomUUID().slice(0, 8);
  const [user] = await systemDb()
    .insert(users)
    .values({
      sub: `sub-${randomUUID()}`,
      email: `user-${tag}@example.test`,
      name: `User ${tag}`,
      ...overrides,
    })
    .returning();
  return user!;
}

export async function createWorkspace(
  overrides: Partial<typeof workspaces.$inferInsert> = {},
): Promise<Workspace> {
  const slug = overrides.slug ?? uniqueSlug();
  const [ws] = await systemDb()
    .insert(workspaces)
    .values({ name: `Workspace ${slug}`, slug, ...overrides })
    .returning();
  return ws!;
}

export async function addMember(
  workspace: Pick<Workspace, "id">,
  user: Pick<User, "id">,
  role: MemberRole,
  source: "sso" | "manual" | "owner" = "manual",
): Promise<void> {
  await systemDb()
    .insert(memberships)
    .values({ workspaceId: workspace.id, userId: user.id, role, source });
}

export function sessionOf(user: Pick<User, "id" | "name" | "email">): Session {
  return {
    user: { id: user.id, name: user.name, email: user.email },
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

export function contextFor(
  user: Pick<User, "id" | "name" | "email"> | null,
  workspaceHint: string | null = null,
): TRPCContext {
  return { session: user ? sessionOf(user) : null, meta: { ...TEST_META }, workspaceHint };
}

/** The Postgres error behind a driver/ORM wrapper (drizzle wraps it in DrizzleQueryError). */
export function pgErrorOf(err: unknown): { code?: string; message: string } {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, message: String(e.message) };
    }
    current = e.cause;
  }
  return { message: String((err as Error)?.message ?? err) };
}

/** Runs `fn`, expecting it to fail; returns the underlying Postgres error. */
export async function expectPgError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    return pgErrorOf(err);
  }
  throw new Error("expected a database error, but the statement succeeded");
}
