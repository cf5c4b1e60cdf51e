/**
 * `stats.tasks`: bot tasks open now, and final outcomes (task events) over a range of the
 * workspace's local days folded per day, action (mean duration) and bot — equal to a plain
 * GROUP BY over the task events, identical after a rebuild — for the caller's workspace only,
 * readable by a viewer, and the same over REST.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "@/modules/workspaces/workspaces.table";
import { todayIn } from "@/modules/stats/calendar";
import { foldWorkspace, rebuildStats } from "@/modules/stats/fold.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { GET as tasksGET } from "@/app/api/v1/stats/tasks/route";
import { addMember, contextFor, createUser } from "../helpers/fixtures";
import { statsTenant, type StatsDataset } from "../helpers/stats-dataset";
import { call, keyFor } from "./api-helpers";

type TaskRow = {
  bot: number;
  action: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
};

/** Tasks as the owner, and for each finished one its final event at `finishedAt`. */
async function insertTasks(d: StatsDataset, rows: TaskRow[]) {
  await systemDb().execute(sql`
    with t as (
      select gen_random_uuid() as id, (${sql.param(d.botIds)}::uuid[])[t.bot + 1] as bot_id, t.*
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             as t(bot int, action text, status text, "startedAt" timestamptz, "finishedAt" timestamptz)
    ),
    tasks as (
      insert into bot_task (workspace_id, id, bot_id, action, status, started_at, finished_at)
      select ${d.workspaceId}, id, bot_id, action, status::task_status, "startedAt", "finishedAt" from t
    )
    insert into task_event (workspace_id, occurred_at, task_id, bot_id, type)
    select ${d.workspaceId}, "finishedAt", id, bot_id, lower(status) from t where "finishedAt" is not null`);
  await foldWorkspace({ workspaceId: d.workspaceId });
}

const taskDays = async (workspaceId: string) =>
  (
    await systemDb().execute(
      sql`select day, bot_id, action, status, count, timed, duration_ms from stats_task_day
           where workspace_id = ${workspaceId} order by 1, 2, 3, 4`,
    )
  ).rows;

const at = (iso: string, plusSeconds = 0) =>
  new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();

// Asunción is UTC−3: 1 June 2026 starts at 03:00Z.
const TASKS: TaskRow[] = [
  { bot: 0, action: "send_message", status: "PENDING" },
  { bot: 0, action: "send_message", status: "PENDING" },
  { bot: 1, action: "scrape", status: "PENDING" },
  { bot: 0, action: "send_message", status: "LEASED" },
  { bot: 1, action: "scrape", status: "RUNNING", startedAt: at("2026-06-01T12:00:00Z") },
  // Finished a few seconds before midnight in Asunción, after 1, 2, 3 and 4 s.
  ...[1, 2, 3, 4].map((s) => ({
    bot: 0,
    action: "send_message",
    status: "SUCCEEDED",
    startedAt: at("2026-06-01T02:59:00Z"),
    finishedAt: at("2026-06-01T02:59:00Z", s),
  })),
  {
    bot: 1,
    action: "send_message",
    status: "FAILED",
    startedAt: at("2026-06-01T03:00:00Z"),
    finishedAt: at("2026-06-01T03:00:10Z"),
  },
  {
    bot: 1,
    action: "scrape",
    status: "TIMED_OUT",
    startedAt: at("2026-06-02T10:00:00Z"),
    finishedAt: at("2026-06-02T10:05:00Z"),
  },
  { bot: 1, action: "scrape", status: "CANCELED", finishedAt: at("2026-06-02T11:00:00Z") },
  // Outside the range (30 June local ends at 03:00Z on 1 July).
  {
    bot: 0,
    action: "scrape",
    status: "SUCCEEDED",
    startedAt: at("2026-07-01T03:00:00Z"),
    finishedAt: at("2026-07-01T03:00:01Z"),
  },
];

const RANGE = { from: "2026-05-31", to: "2026-06-30" };

describe("stats.tasks", () => {
  let a: StatsDataset;
  let b: StatsDataset;
  let viewer: User;

  beforeAll(async () => {
    [a, b] = await Promise.all([statsTenant("America/Asuncion"), statsTenant("UTC")]);
    await insertTasks(a, TASKS);
    await insertTasks(b, [
      { bot: 0, action: "other", status: "PENDING" },
      {
        bot: 0,
        action: "other",
        status: "SUCCEEDED",
        startedAt: at("2026-06-05T00:00:00Z"),
        finishedAt: at("2026-06-05T00:00:09Z"),
      },
    ]);
    viewer = await createUser();
    await addMember(a.workspace, viewer, "viewer");
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("counts open and finished tasks per status, day, action and bot in the workspace's zone", async () => {
    const s = await createCaller(contextFor(a.user, a.workspaceId)).stats.tasks(RANGE);
    expect(s.open).toEqual({ pending: 3, leased: 1, running: 1 });
    expect(s.finished).toEqual({ succeeded: 4, failed: 1, canceled: 1, timedOut: 1 });
    expect(s.successRate).toBeCloseTo(4 / 6);
    expect(s.days).toHaveLength(31);
    // 02:59Z + a few seconds on 1 June is still 31 May in Asunción; 03:00:10Z is 1 June.
    const day = (d: string) => s.days.find((p) => p.day === d);
    expect(day("2026-05-31")).toEqual({
      day: "2026-05-31",
      succeeded: 4,
      failed: 0,
      canceled: 0,
      timedOut: 0,
    });
    expect(day("2026-06-01")).toMatchObject({ succeeded: 0, failed: 1 });
    expect(day("2026-06-02")).toMatchObject({ timedOut: 1, canceled: 1 });

    const send = s.byAction.find((r) => r.action === "send_message")!;
    expect(send).toMatchObject({ succeeded: 4, failed: 1, canceled: 0, timedOut: 0 });
    // Five durations: 1, 2, 3, 4 and 10 s.
    expect(send.avgMs).toBeCloseTo(4000);
    const scrape = s.byAction.find((r) => r.action === "scrape")!;
    expect(scrape).toMatchObject({ timedOut: 1, canceled: 1, succeeded: 0 });
    // The canceled task never started: only the timed-out one's 5 minutes count.
    expect(scrape.avgMs).toBeCloseTo(300_000);
    expect(s.byAction.map((r) => r.action)).toEqual(["send_message", "scrape"]);

    expect(s.byBot.map((r) => [r.name, r.succeeded, r.failed, r.timedOut, r.canceled])).toEqual([
      ["Uno", 4, 0, 0, 0],
      ["Dos", 0, 1, 1, 1],
    ]);

    const oneBot = await createCaller(contextFor(a.user, a.workspaceId)).stats.tasks({
      ...RANGE,
      botId: a.botIds[1],
    });
    expect(oneBot.open).toEqual({ pending: 1, leased: 0, running: 1 });
    expect(oneBot.finished).toEqual({ succeeded: 0, failed: 1, canceled: 1, timedOut: 1 });
  });

  it("equals a GROUP BY over the task events, and a rebuild gives the same counters", async () => {
    const s = await createCaller(contextFor(a.user, a.workspaceId)).stats.tasks(RANGE);
    const { rows } = await systemDb().execute<{ day: string; type: string; n: number }>(sql`
      select to_char((occurred_at at time zone 'America/Asuncion')::date, 'YYYY-MM-DD') as day,
             type, count(*)::int as n
        from task_event
       where workspace_id = ${a.workspaceId}
         and (occurred_at at time zone 'America/Asuncion')::date between '2026-05-31' and '2026-06-30'
       group by 1, 2`);
    const key = {
      succeeded: "succeeded",
      failed: "failed",
      canceled: "canceled",
      timed_out: "timedOut",
    } as const;
    for (const p of s.days)
      for (const [type, field] of Object.entries(key))
        expect(p[field], `${p.day} ${type}`).toBe(
          rows.find((r) => r.day === p.day && r.type === type)?.n ?? 0,
        );
    const folded = await taskDays(a.workspaceId);
    expect(folded.length).toBeGreaterThan(0);
    await rebuildStats({ workspaceId: a.workspaceId });
    expect(await taskDays(a.workspaceId)).toEqual(folded);
  });

  it("adds an outcome committed after a fold to today's counters, once", async () => {
    const today = todayIn("America/Asuncion");
    const c = createCaller(contextFor(a.user, a.workspaceId));
    const before = await c.stats.tasks({ from: today, to: today });
    const now = new Date();
    await insertTasks(a, [
      {
        bot: 0,
        action: "send_message",
        status: "SUCCEEDED",
        startedAt: at(now.toISOString(), -2),
        finishedAt: now.toISOString(),
      },
    ]);
    await foldWorkspace({ workspaceId: a.workspaceId });
    const after = await c.stats.tasks({ from: today, to: today });
    expect(after.finished.succeeded).toBe(before.finished.succeeded + 1);
    expect(after.byAction.find((r) => r.action === "send_message")!.avgMs).toBeCloseTo(2000);
    const folded = await taskDays(a.workspaceId);
    await rebuildStats({ workspaceId: a.workspaceId });
    expect(await taskDays(a.workspaceId)).toEqual(folded);
  });

  it("shows each workspace its own tasks only, to a viewer too", async () => {
    const asViewer = await createCaller(contextFor(viewer, a.workspaceId)).stats.tasks(RANGE);
    expect(asViewer.finished.succeeded).toBe(4);
    const other = await createCaller(contextFor(b.user, b.workspaceId)).stats.tasks(RANGE);
    expect(other.open).toEqual({ pending: 1, leased: 0, running: 0 });
    expect(other.byAction.map((r) => r.action)).toEqual(["other"]);
    expect(other.byBot.map((r) => r.id)).toEqual([b.botIds[0]]);
    await expect(
      createCaller(contextFor(b.user, a.workspaceId)).stats.tasks(RANGE),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another workspace's bot as a filter finds nothing.
    const foreignBot = await createCaller(contextFor(a.user, a.workspaceId)).stats.tasks({
      ...RANGE,
      botId: b.botIds[0],
    });
    expect(foreignBot.finished).toEqual({ succeeded: 0, failed: 0, canceled: 0, timedOut: 0 });
  });

  it("answers the same over REST, for the key's workspace", async () => {
    const key = (await keyFor(a.workspaceId, ["stats:read"])).secret;
    const res = await call(tasksGET, {
      path: `/stats/tasks?from=${RANGE.from}&to=${RANGE.to}`,
      key,
    });
    expect(res.status).toBe(200);
    const trpc = await createCaller(contextFor(a.user, a.workspaceId)).stats.tasks(RANGE);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(trpc)));
    const reversed = await call(tasksGET, {
      path: "/stats/tasks?from=2026-06-02&to=2026-06-01",
      key,
    });
    expect(reversed.status).toBe(400);
  });

  it("refuses reversed and over-long ranges", async () => {
    const c = createCaller(contextFor(a.user, a.workspaceId));
    await expect(c.stats.tasks({ from: "2026-06-02", to: "2026-06-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(c.stats.tasks({ from: "2024-01-01", to: "2026-06-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
