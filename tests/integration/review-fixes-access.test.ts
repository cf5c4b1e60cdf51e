/**
 * Review fixes, through their real callers: a leftover workspace cookie falls back to the
 * user's first workspace (a header stays strict); only `UTC` and `Area/Location` time zones
 * are saved; one workspace's failing fold does not stop the others; a bot whose task an agent
 * holds cannot be deleted; a date Postgres cannot store is a 400; parallel invitations to one
 * address all succeed and leave one pending.
 */
import { TRPCError } from "@trpc/server";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Session } from "next-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { agentIdentity } from "@/modules/bots/agents.service";
import { bots } from "@/modules/bots/bots.table";
import { todayIn } from "@/modules/stats/calendar";
import { foldAll } from "@/modules/stats/fold.service";
import { markStarted, pullTasks, reportResult } from "@/modules/tasks/lease.service";
import { botTasks } from "@/modules/tasks/tasks.table";
import {
  invitations,
  workspaces,
  type User,
  type Workspace,
} from "@/modules/workspaces/workspaces.table";
import { requireRouteAccess } from "@/server/auth/route-access";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { stopBoss } from "@/server/queue/boss";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace, sessionOf } from "../helpers/fixtures";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { statsTenant, writeEvents } from "../helpers/stats-dataset";
import { createAgentBot } from "./agents-helpers";

// Route handlers read the session through next-auth, which needs Next's request scope.
const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("@/server/auth/session", () => ({ getSession: async () => session.current }));

beforeEach(() => {
  session.current = null;
});

afterAll(async () => {
  await stopBoss(2_000);
  await closeDatabase();
});

/** The TRPCError a call rejected with (fails the test when it resolved). */
async function trpcErrorOf(call: Promise<unknown>): Promise<TRPCError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/** The error key the procedure refused with (the AppError behind the TRPCError). */
const keyOf = (err: TRPCError) => (err.cause as AppError | undefined)?.key;

describe("workspace hint: a leftover cookie falls back, a header stays strict", () => {
  let first: Workspace;
  let second: Workspace;
  let foreign: Workspace;
  let user: User;
  let homeless: User;

  beforeAll(async () => {
    [first, second, foreign] = await Promise.all([
      createWorkspace(),
      createWorkspace(),
      createWorkspace(),
    ]);
    [user, homeless] = await Promise.all([createUser(), createUser()]);
    // Memberships are ordered by when they were made: `first` is the user's first workspace.
    await addMember(first, user, "admin");
    await addMember(second, user, "operator");
    await addMember(foreign, await createUser(), "admin", "owner");
  });

  const caller = (u: User, hint: string | null, isCookie?: boolean) =>
    createCaller({
      ...contextFor(u, hint),
      ...(isCookie === undefined ? {} : { workspaceHintIsCookie: isCookie }),
    });

  it("answers for the user's first workspace when the cookie names one they are not in", async () => {
    const current = await caller(user, foreign.id, true).workspaces.current();
    expect(current.workspace.id).toBe(first.id);
    expect(current.role).toBe("admin");
    // A workspace-scoped read acts in that workspace too (not in the foreign one).
    const members = await caller(user, foreign.id, true).members.list({});
    expect(members.rows.map((m) => m.userId)).toEqual([user.id]);
    // A malformed leftover falls back the same way.
    const garbled = await caller(user, "not-a-uuid", true).workspaces.current();
    expect(garbled.workspace.id).toBe(first.id);
  });

  it("still honours a cookie naming a workspace the user is in", async () => {
    const current = await caller(user, second.id, true).workspaces.current();
    expect(current.workspace.id).toBe(second.id);
    expect(current.role).toBe("operator");
  });

  it("refuses a foreign workspace named by a header (or with no origin said) with auth.notMember", async () => {
    for (const isCookie of [false, undefined]) {
      const err = await trpcErrorOf(caller(user, foreign.id, isCookie).workspaces.current());
      expect(err.code).toBe("FORBIDDEN");
      expect(keyOf(err)).toBe("auth.notMember");
    }
  });

  it("refuses a user with no workspace at all even when the hint is only a cookie", async () => {
    const err = await trpcErrorOf(caller(homeless, foreign.id, true).workspaces.current());
    expect(err.code).toBe("FORBIDDEN");
    expect(keyOf(err)).toBe("auth.notMember");
  });

  it("the tRPC route tells a cookie from a header", async () => {
    session.current = sessionOf(user);
    const get = (headers: Record<string, string>) =>
      trpcGet(new Request("http://localhost:3000/api/trpc/workspaces.current", { headers }));

    const viaCookie = await get({ cookie: `st_ws=${foreign.id}` });
    expect(viaCookie.status).toBe(200);
    const body = (await viaCookie.json()) as {
      result: { data: { json: { workspace: { id: string } } } };
    };
    expect(body.result.data.json.workspace.id).toBe(first.id);

    // The header is strict, and wins over a cookie naming a workspace the user is in.
    const viaHeader = await get({ "x-workspace-id": foreign.id, cookie: `st_ws=${second.id}` });
    expect(viaHeader.status).toBe(403);
    const refused = (await viaHeader.json()) as {
      error: { json: { data: { code: string; key: string } } };
    };
    expect(refused.error.json.data).toMatchObject({ code: "FORBIDDEN", key: "auth.notMember" });
  });

  it("route handlers outside tRPC (downloads, uploads) follow the same rule", async () => {
    session.current = sessionOf(user);
    const request = (headers: Record<string, string>) =>
      new Request("http://localhost:3000/api/contacts/export", { headers });

    const access = await requireRouteAccess(
      request({ cookie: `st_ws=${foreign.id}` }),
      "contacts:read",
    );
    expect(access).toMatchObject({ userId: user.id, role: "admin" });
    expect(access.workspace.id).toBe(first.id);

    const err = await requireRouteAccess(
      request({ "x-workspace-id": foreign.id }),
      "contacts:read",
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "FORBIDDEN", key: "auth.notMember" });
  });
});

describe("workspace time zone: UTC or Area/Location only", () => {
  let t: Tenant;

  beforeAll(async () => {
    t = await freshTenant();
  });

  const zoneOf = async (id: string) =>
    (await systemDb().select().from(workspaces).where(eq(workspaces.id, id)))[0]!.timeZone;

  it("refuses old Java ids Intl accepts but Postgres does not know or reads otherwise", async () => {
    const caller = callerFor(t);
    const base = { name: "Acme", defaultCountry: "PY" };
    for (const timeZone of ["PLT", "AET", "IST", "CST"]) {
      // Intl would take it: the schema must refuse it on its own.
      expect(() => new Intl.DateTimeFormat("en", { timeZone })).not.toThrow();
      const err = await trpcErrorOf(caller.workspaces.updateSettings({ ...base, timeZone }));
      expect(err.code, timeZone).toBe("BAD_REQUEST");
      const issues = (err.cause as unknown as { issues: { path: string[]; message: string }[] })
        .issues;
      expect(
        issues.map((i) => [i.path.join("."), i.message]),
        timeZone,
      ).toEqual([["timeZone", "workspace.timeZoneUnknown"]]);
    }
    expect(await zoneOf(t.workspaceId)).toBe("America/Asuncion");

    // UTC and Area/Location names are still saved.
    for (const timeZone of ["UTC", "Asia/Kolkata"]) {
      const saved = await caller.workspaces.updateSettings({ ...base, timeZone });
      expect(saved.timeZone).toBe(timeZone);
      expect(await zoneOf(t.workspaceId)).toBe(timeZone);
    }
  });
});

describe("stats fold: one workspace failing does not stop the others", () => {
  it("folds the other workspace, reports one failure, and folds the broken one once fixed", async () => {
    const TZ = "America/Asuncion";
    const [a, b] = await Promise.all([statsTenant(TZ), statsTenant(TZ)]);
    const now = new Date();
    await Promise.all([writeEvents(a, [now, now, now]), writeEvents(b, [now, now, now])]);
    // The pass goes through workspaces in id order: the broken one must come first.
    const [broken, healthy] = a.workspaceId < b.workspaceId ? [a, b] : [b, a];
    // An old row saved before the schema refused Java ids: Postgres does not know the zone.
    await systemDb()
      .update(workspaces)
      .set({ timeZone: "PLT" })
      .where(eq(workspaces.id, broken.workspaceId));

    const foldRow = async (workspaceId: string) =>
      (
        await systemDb().execute<{ snapshot: string | null }>(
          sql`select snapshot from stats_fold where workspace_id = ${workspaceId}`,
        )
      ).rows[0] ?? null;
    const sentEvents = async (workspaceId: string) =>
      Number(
        (
          await systemDb().execute<{ n: string }>(
            sql`select count(*) as n from message_event where workspace_id = ${workspaceId} and type = 'sent'`,
          )
        ).rows[0]!.n,
      );
    const today = todayIn(TZ);
    const summaryOf = (d: typeof a) =>
      createCaller(contextFor(d.user, d.workspaceId)).stats.summary({ from: today, to: today });

    expect(await foldRow(healthy.workspaceId)).toBeNull();
    expect((await summaryOf(healthy)).sent).toBe(0);

    const logged: unknown[] = [];
    const spy = vi.spyOn(logger, "error").mockImplementation((o: unknown) => {
      logged.push((o as { workspaceId?: string }).workspaceId);
    });
    const result = await foldAll({ everyWorkspace: true }).finally(() => spy.mockRestore());
    expect(result.failed).toBe(1);
    expect(result.workspaces).toBeGreaterThanOrEqual(2);
    // The failure is logged with the workspace it belongs to.
    expect(logged).toEqual([broken.workspaceId]);

    const sent = await sentEvents(healthy.workspaceId);
    expect(sent).toBeGreaterThan(0);
    expect((await foldRow(healthy.workspaceId))?.snapshot).not.toBeNull();
    expect((await summaryOf(healthy)).sent).toBe(sent);
    // The broken workspace's fold rolled back whole.
    expect(await foldRow(broken.workspaceId)).toBeNull();

    // Once its zone is fixed, the next pass folds it too.
    await systemDb()
      .update(workspaces)
      .set({ timeZone: TZ })
      .where(eq(workspaces.id, broken.workspaceId));
    const again = await foldAll({ everyWorkspace: true });
    expect(again.failed).toBe(0);
    expect((await foldRow(broken.workspaceId))?.snapshot).not.toBeNull();
    expect((await summaryOf(broken)).sent).toBe(await sentEvents(broken.workspaceId));
  });
});

describe("deleting a bot whose task an agent holds", () => {
  it("is refused with bot.tasksInFlight while LEASED or RUNNING, and allowed once it ends", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    const agent = await createAgentBot(t);
    await api.tasks.defineAction({
      name: "visit.page",
      schema: { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
    });
    const { task } = await api.tasks.create({
      botId: agent.botId,
      action: "visit.page",
      payload: { url: "https://example.test/" },
    });
    const identity = (await agentIdentity(agent.botId))!;
    expect(identity).not.toBeNull();

    const statusOf = async () =>
      (
        await systemDb()
          .select({ status: botTasks.status })
          .from(botTasks)
          .where(and(eq(botTasks.workspaceId, t.workspaceId), eq(botTasks.id, task.id)))
      )[0]?.status;
    const botExists = async () =>
      (await systemDb().select().from(bots).where(eq(bots.id, agent.botId))).length === 1;
    const expectRefused = async () => {
      const err = await trpcErrorOf(api.bots.delete({ id: agent.botId }));
      expect(err.code).toBe("CONFLICT");
      expect(keyOf(err)).toBe("bot.tasksInFlight");
      expect(await botExists()).toBe(true);
    };

    const { tasks } = await pullTasks({ agent: identity, limit: 1, worker: "w1" });
    expect(tasks.map((x) => x.id)).toEqual([task.id]);
    expect(await statusOf()).toBe("LEASED");
    await expectRefused();

    const attempt = tasks[0]!.attempt;
    await withTenant({ workspaceId: t.workspaceId }, (tx) =>
      markStarted(tx, identity, task.id, attempt),
    );
    expect(await statusOf()).toBe("RUNNING");
    await expectRefused();

    const settled = await reportResult({
      agent: identity,
      id: task.id,
      attempt,
      outcome: { ok: true },
    });
    expect(settled.task.status).toBe("SUCCEEDED");
    await api.bots.delete({ id: agent.botId });
    expect(await botExists()).toBe(false);
  });
});

describe("dates Postgres cannot store", () => {
  it("are a 400 input.dateOutOfRange, not a 500", async () => {
    const api = callerFor(await freshTenant());
    for (const [name, call] of [
      ["tasks.list year 0", () => api.tasks.list({ from: new Date("0000-01-01T00:00:00Z") })],
      ["audit.list year 100000", () => api.audit.list({ from: new Date("+100000-01-01") })],
    ] as const) {
      const err = await trpcErrorOf(call());
      expect(err.code, name).toBe("BAD_REQUEST");
      expect(keyOf(err), name).toBe("input.dateOutOfRange");
    }
    // A date in range still lists.
    const listed = await api.tasks.list({ from: new Date("2000-01-01T00:00:00Z") });
    expect(listed.rows).toEqual([]);
  });
});

describe("parallel invitations to one address", () => {
  it("all succeed and leave exactly one pending invitation", async () => {
    const t = await freshTenant();
    const api = callerFor(t);
    for (let round = 0; round < 3; round++) {
      const email = `racer-${round}-${Date.now()}@example.test`;
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => api.invitations.create({ email, role: "viewer" })),
      );
      // Before the lock: one success and three INTERNAL errors on the one-pending index.
      expect(
        results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as TRPCError).code)),
        `round ${round}`,
      ).toEqual(["ok", "ok", "ok", "ok"]);
      const ids = results.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);

      const rows = await systemDb()
        .select()
        .from(invitations)
        .where(and(eq(invitations.workspaceId, t.workspaceId), eq(invitations.email, email)));
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      const pending = rows.filter((r) => r.revokedAt === null && r.acceptedAt === null);
      expect(pending).toHaveLength(1);
      expect(ids).toContain(pending[0]!.id);
    }
    const stillPending = await systemDb()
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.workspaceId, t.workspaceId),
          isNull(invitations.revokedAt),
          isNull(invitations.acceptedAt),
        ),
      );
    expect(stillPending).toHaveLength(3);
  });
});
