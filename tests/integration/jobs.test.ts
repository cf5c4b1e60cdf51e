/**
 * Job contracts on the app's own Postgres and a real pg-boss: every process creates every
 * queue of the registry; `enqueue`/`enqueueMany` refuse a payload the contract's schema
 * refuses; a worker runs every job of a fetched batch, each settled on its own; handlers see
 * id, retryCount and signal; and the session clean-up forgets only long-dead sessions.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { cleanupAuthSessions } from "@jobs/auth/cleanup-sessions.job";
import { importContacts } from "@jobs/contacts/import.job";
import { defineJob } from "@jobs/define";
import { enqueue, enqueueMany } from "@jobs/enqueue";
import { JOBS } from "@jobs/registry";
import { startWorkers, workJob } from "@jobs/worker";
import { authSessions } from "@/server/auth/auth-session.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { ensureQueue, getBoss, stopBoss } from "@/server/queue/boss";
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

/** Each job's final state, once none of them is waiting, active or due for a retry. */
async function settledStates(boss: PgBoss, queue: string, ids: string[]) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs = await boss.findJobs(queue, {});
    const mine = jobs.filter((j) => ids.includes(j.id));
    const settled = mine.every((j) => j.state === "completed" || j.state === "failed");
    if ((mine.length === ids.length && settled) || Date.now() > deadline) {
      return new Map(mine.map((j) => [j.id, { state: j.state, output: j.output }]));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Seen = { id: string; retryCount: number; signal: unknown; aborted: boolean; n: number };

/** A contract on a queue of its own (no other test file's worker takes its jobs). */
function batchJob(seen: Seen[]) {
  return defineJob({
    name: `test.batch-${randomUUID()}`,
    options: { retryLimit: 1, retryDelay: 0 },
    schema: z.object({
      n: z.number().int(),
      mode: z.enum(["ok", "fail-first", "fail"]).default("ok"),
    }),
    send: ({ n }) => ({ singletonKey: `n-${n}`, priority: 1 }),
    work: { batchSize: 10, pollingIntervalSeconds: 0.5 },
    async handle({ id, retryCount, signal, data }) {
      seen.push({ id, retryCount, signal, aborted: signal.aborted, n: data.n });
      if (data.mode === "fail" || (data.mode === "fail-first" && retryCount === 0)) {
        throw new Error(`job ${data.n} failed on attempt ${retryCount}`);
      }
      return { doubled: data.n * 2 };
    },
  });
}

describe("jobs", () => {
  let boss: PgBoss;
  const workers: { name: string; id: string }[] = [];

  beforeAll(async () => {
    boss = await getBoss();
  });

  afterAll(async () => {
    for (const w of workers) await boss.offWork(w.name, { id: w.id }).catch(() => undefined);
    await stopBoss(2_000);
    await closeDatabase();
  });

  it("starts once per process and creates every queue of the registry", async () => {
    expect(await getBoss()).toBe(boss);
    const queues = await boss.getQueues();
    const names = queues.map((q) => q.name);
    for (const job of JOBS) expect(names).toContain(job.name);

    const cleanup = queues.find((q) => q.name === cleanupAuthSessions.name)!;
    expect(cleanup).toMatchObject({ retryLimit: 2, expireInSeconds: 300 });
    // A killed worker's import is noticed by its missing heartbeat, not after the expiry.
    const imports = queues.find((q) => q.name === importContacts.name)!;
    expect(imports).toMatchObject({ heartbeatSeconds: 30, expireInSeconds: 1800, notify: true });
  });

  it("runs every job of a batch, each settled on its own, with id, retryCount and signal", async () => {
    const seen: Seen[] = [];
    const job = batchJob(seen);
    await ensureQueue(boss, job);
    // All queued before the worker starts: its first fetch takes them as one batch.
    const ids = await enqueueMany(job, [
      { n: 1 },
      { n: 2, mode: "fail" },
      { n: 3 },
      { n: 4, mode: "fail-first" },
      { n: 5 },
    ]);
    expect(ids).toHaveLength(5);
    const bad = await boss.send(job.name, { n: "six" }); // past enqueue: refused by the worker
    workers.push({ name: job.name, id: await workJob(boss, job) });

    const states = await settledStates(boss, job.name, [...ids, bad!]);
    const [one, two, three, four, five] = ids.map((id) => states.get(id));
    for (const ok of [one, three, five]) expect(ok?.state).toBe("completed");
    expect(one?.output).toEqual({ doubled: 2 });
    // The failing job failed alone, after its retry; its neighbours were not held back.
    expect(two?.state).toBe("failed");
    expect(JSON.stringify(two?.output)).toContain("job 2 failed on attempt 1");
    expect(four).toMatchObject({ state: "completed", output: { doubled: 8 } });
    // A payload the schema refuses never reaches the handler and is not retried.
    expect(states.get(bad!)?.state).toBe("failed");
    expect(seen.some((s) => (s.n as unknown) === "six")).toBe(false);

    // The first batch ran all five jobs; then the two failures were retried.
    const first = seen.filter((s) => s.retryCount === 0);
    expect(first.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(
      seen
        .filter((s) => s.retryCount === 1)
        .map((s) => s.n)
        .sort(),
    ).toEqual([2, 4]);
    for (const s of seen) {
      expect(s.signal).toBeInstanceOf(AbortSignal);
      expect(s.aborted).toBe(false);
    }
  }, 30_000);

  it("a drain queue's worker fetches its next job as soon as one ends, not at the next poll", async () => {
    const POLL_S = 5;
    const started: number[] = [];
    const ended: number[] = [];
    const drained = defineJob({
      name: `test.drain-${randomUUID()}`,
      options: { retryLimit: 0 },
      schema: z.object({ n: z.number().int() }),
      work: { localConcurrency: 1, pollingIntervalSeconds: POLL_S, drain: true },
      async handle() {
        started.push(Date.now());
        await new Promise((r) => setTimeout(r, 20));
        ended.push(Date.now());
      },
    });
    await ensureQueue(boss, drained);
    const ids = await enqueueMany(drained, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    workers.push({ name: drained.name, id: await workJob(boss, drained) });
    const states = await settledStates(boss, drained.name, ids);
    expect([...states.values()].every((j) => j.state === "completed")).toBe(true);
    // One job per fetch (batchSize 1): each next one began right after the previous ended,
    // where polling would have waited out the 5 s interval three times.
    expect(started).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(started[i]! - ended[i - 1]!).toBeLessThan(POLL_S * 500);
    expect(started[3]! - started[0]!).toBeLessThan(POLL_S * 1000);
  }, 30_000);

  it("refuses an invalid payload before it reaches the queue", async () => {
    const job = batchJob([]);
    await ensureQueue(boss, job);

    const one = enqueue(job, { n: 1.5 });
    await expect(one).rejects.toBeInstanceOf(z.ZodError);
    await expect(enqueue(job, { n: 1, mode: "maybe" } as never)).rejects.toThrow(/mode/);

    const many = enqueueMany(job, [{ n: 1 }, { n: "two" } as never, { n: 3 }]);
    await expect(many).rejects.toBeInstanceOf(z.ZodError);
    const error = (await many.catch((e: unknown) => e)) as z.ZodError;
    expect(error.issues.map((i) => i.path)).toEqual([[1, "n"]]);
    // All or nothing: the valid payloads of a refused list were not queued either.
    expect(await boss.findJobs(job.name, {})).toEqual([]);
  });

  it("merges the contract's send options with the call's", async () => {
    const job = batchJob([]);
    await ensureQueue(boss, job);
    const first = await enqueue(job, { n: 7 });
    const second = await enqueue(job, { n: 8 }, { priority: 5 });
    const jobs = await boss.findJobs(job.name, {});
    const byId = new Map(jobs.map((j) => [j.id, j]));
    expect(byId.get(first!)).toMatchObject({ singletonKey: "n-7", priority: 1, data: { n: 7 } });
    expect(byId.get(second!)).toMatchObject({ singletonKey: "n-8", priority: 5 });
  });

  it("cleanup-sessions deletes only sessions idle for more than ten hours", async () => {
    const user = await createUser();
    const [fresh, nineHours, elevenHours, twoDays] = await sessionsAged(user.id, [0, 9, 11, 48]);
    const run = () =>
      cleanupAuthSessions.handle({
        id: randomUUID(),
        retryCount: 0,
        signal: new AbortController().signal,
        data: {},
      }) as Promise<{ removed: number }>;

    expect((await run()).removed).toBeGreaterThanOrEqual(2);
    expect((await remaining([fresh!, nineHours!, elevenHours!, twoDays!])).sort()).toEqual(
      [fresh!, nineHours!].sort(),
    );

    // Idempotent: a second run finds nothing more of ours to delete.
    await run();
    expect((await remaining([fresh!, nineHours!])).sort()).toEqual([fresh!, nineHours!].sort());
  });

  it("runs the clean-up through pg-boss end to end", async () => {
    const user = await createUser();
    const [fresh, stale] = await sessionsAged(user.id, [1, 12]);

    // Only this queue: a worker here must not take (and then drop, when this file stops its
    // boss) an import job queued by another test file.
    await startWorkers(boss, { only: [cleanupAuthSessions.name] });
    const jobId = await enqueue(cleanupAuthSessions, {});
    expect(jobId).toBeTruthy();

    const states = await settledStates(boss, cleanupAuthSessions.name, [jobId!]);
    expect(states.get(jobId!)?.state).toBe("completed");
    expect(await remaining([fresh!, stale!])).toEqual([fresh!]);

    // The hourly schedule is installed.
    const schedules = await boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain(cleanupAuthSessions.name);
  }, 30_000);
});
