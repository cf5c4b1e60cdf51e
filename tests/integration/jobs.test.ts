/**
 * pg-boss in the app's own Postgres: it starts, creates every queue of the registry, and the
 * session clean-up job forgets only the provider tokens of long-dead sessions.
 */
import { randomBytes } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupAuthSessions } from "@jobs/auth/cleanup-sessions.handler";
import { JOBS } from "@jobs/registry";
import { startWorkers } from "@jobs/worker";
import { authSessions } from "@/server/auth/auth-session.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { createUser } from "../helpers/fixtures";

/** Inserts one session per age (hours since its last update) and returns their ids by age. */
async function sessionsAged(userId: string, ages: number[]): Promise<string[]> {
  const ids = ages.map(() => randomBytes(12).toString("base64url"));
  await systemDb()
    .insert(authSessions)
    .values(
      ids.map((id) => ({
        id,
        userId,
        accessToken: "at",
        refreshToken: "rt",
        accessTokenExpiresAt: new Date(),
      })),
    );
  // Raw SQL: the Drizzle `$onUpdate` would otherwise stamp updated_at with now().
  for (const [i, id] of ids.entries()) {
    await systemDb().execute(
      sql`update auth_session set updated_at = now() - make_interval(secs => ${ages[i]! * 3600})
          where id = ${id}`,
    );
  }
  return ids;
}

async function remaining(ids: string[]): Promise<string[]> {
  const rows = await systemDb()
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(inArray(authSessions.id, ids));
  return rows.map((r) => r.id);
}

describe("jobs", () => {
  let boss: PgBoss;

  beforeAll(async () => {
    boss = await getBoss();
  });

  afterAll(async () => {
    await stopBoss(2_000);
    await closeDatabase();
  });

  it("starts once per process and creates every queue of the registry", async () => {
    expect(await getBoss()).toBe(boss);
    const queues = await boss.getQueues();
    const names = queues.map((q) => q.name);
    for (const job of JOBS) expect(names).toContain(job.queue.name);

    const cleanup = queues.find((q) => q.name === cleanupAuthSessions.queue.name)!;
    expect(cleanup).toMatchObject({ retryLimit: 2, expireInSeconds: 300 });
  });

  it("cleanup-sessions deletes only sessions idle for more than ten hours", async () => {
    const user = await createUser();
    const [fresh, nineHours, elevenHours, twoDays] = await sessionsAged(user.id, [0, 9, 11, 48]);

    const result = (await cleanupAuthSessions.handle({})) as { removed: number };
    expect(result.removed).toBeGreaterThanOrEqual(2);
    expect((await remaining([fresh!, nineHours!, elevenHours!, twoDays!])).sort()).toEqual(
      [fresh!, nineHours!].sort(),
    );

    // Idempotent: a second run finds nothing more of ours to delete.
    await cleanupAuthSessions.handle({});
    expect((await remaining([fresh!, nineHours!])).sort()).toEqual([fresh!, nineHours!].sort());
  });

  it("runs the clean-up through pg-boss end to end", async () => {
    const user = await createUser();
    const [fresh, stale] = await sessionsAged(user.id, [1, 12]);

    // Only this queue: a worker here must not take (and then drop, when this file stops its
    // boss) an import job queued by another test file.
    await startWorkers(boss, { only: [cleanupAuthSessions.queue.name] });
    const jobId = await boss.send(cleanupAuthSessions.queue.name, {});
    expect(jobId).toBeTruthy();

    let state: string | undefined;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const [job] = await boss.findJobs(cleanupAuthSessions.queue.name, { id: jobId! });
      state = job?.state;
      if (state === "completed" || state === "failed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe("completed");
    expect(await remaining([fresh!, stale!])).toEqual([fresh!]);

    // The hourly schedule is installed.
    const schedules = await boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain(cleanupAuthSessions.queue.name);
  }, 30_000);
});
