/**
 * Schedules on real Postgres and real pg-boss: one firing per slot however many workers fire
 * it, the pg-boss schedule kept in step with the row (and repaired when it drifts), campaign
 * targets, workspace isolation and who may write.
 */
import { randomUUID } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { auditLogs } from "@/modules/audit/audit.table";
import { campaigns } from "@/modules/campaigns/campaigns.table";
import { fireScheduleSlot } from "@/modules/schedules/schedule-fire.service";
import { reconcileBossSchedules } from "@/modules/schedules/schedule-sync";
import { botTasks } from "@/modules/tasks/tasks.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { fireSchedule } from "@jobs/schedules/fire.job";
import { startWorkers, workJob } from "@jobs/worker";
import {
  callerFor,
  createSandboxBot,
  draftOf,
  seedAudience,
  startCampaignWorkers,
  waitForCampaign,
  waitUntil,
} from "../helpers/campaigns";
import { addMember, contextFor, createUser } from "../helpers/fixtures";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot, type Agent } from "./agents-helpers";

let t: Tenant;
let other: Tenant;
let agent: Agent;
let boss: PgBoss;
let second: PgBoss;

const ACTION = "report.build";

beforeAll(async () => {
  boss = await getBoss();
  await startWorkers(boss, { only: [fireSchedule.name] });
  await startCampaignWorkers(boss);
  // A second pg-boss instance with its own worker on the fire queue: another worker process.
  second = new PgBoss({ connectionString: env.DATABASE_URL!, max: 2 });
  second.on("error", () => undefined);
  await second.start();
  await workJob(second, fireSchedule);
  [t, other] = await Promise.all([freshTenant(), freshTenant()]);
  agent = await createAgentBot(t);
  await callerFor(t).tasks.defineAction({
    name: ACTION,
    schema: { type: "object", properties: { at: { type: "string" } }, required: ["at"] },
  });
});

afterAll(async () => {
  await second?.stop({ graceful: false, close: true, timeout: 2_000 });
  await stopBoss(5_000);
  await closeDatabase();
});

function taskSchedule(name: string, cron = "0 * * * *", timeZone = "UTC") {
  return {
    name,
    cron,
    timeZone,
    target: {
      kind: "task" as const,
      botId: agent.botId,
      action: ACTION,
      payload: { at: "{{slot}}", label: "{{schedule}}" },
      priority: 5,
      timeoutSeconds: 120,
      maxAttempts: 2,
    },
  };
}

function tasksOf(workspaceId: string, scheduleId: string) {
  return systemDb()
    .select()
    .from(botTasks)
    .where(
      and(
        eq(botTasks.workspaceId, workspaceId),
        like(botTasks.idempotencyKey, `schedule:${scheduleId}:%`),
      ),
    );
}

async function jobDone(instance: PgBoss, id: string) {
  return waitUntil(`job ${id}`, async () => {
    const job = await instance.getJobById(fireSchedule.name, id);
    return job && ["completed", "failed"].includes(job.state) ? job : undefined;
  });
}

describe("schedules", () => {
  it("fires `0 * * * *` once per slot when two pg-boss instances deliver the same slot", async () => {
    const schedule = await callerFor(t).schedules.create(taskSchedule("Hourly report"));
    const data = { workspaceId: t.workspaceId, scheduleId: schedule.id };
    const ids = await Promise.all([
      boss.send(fireSchedule.name, data),
      second.send(fireSchedule.name, data),
    ]);
    const jobs = await Promise.all([jobDone(boss, ids[0]!), jobDone(second, ids[1]!)]);
    expect(jobs.map((j) => j.state)).toEqual(["completed", "completed"]);
    const outcomes = jobs.map((j) => (j.output as { outcome: string }).outcome).sort();
    expect(outcomes).toEqual(["created", "duplicate"]);

    const tasks = await tasksOf(t.workspaceId, schedule.id);
    expect(tasks).toHaveLength(1);
    const slot = new Date();
    slot.setUTCMinutes(0, 0, 0);
    expect(tasks[0]).toMatchObject({
      botId: agent.botId,
      action: ACTION,
      priority: 5,
      timeoutSeconds: 120,
      maxAttempts: 2,
      status: "PENDING",
      payload: { at: slot.toISOString(), label: "Hourly report" },
      idempotencyKey: `schedule:${schedule.id}:${slot.toISOString()}`,
    });
    const [listed] = (await callerFor(t).schedules.list({ locale: "en" })).filter(
      (s) => s.id === schedule.id,
    );
    expect(listed).toMatchObject({ lastRunId: tasks[0]!.id, lastError: null });
    expect(listed!.lastFiredSlot!.toISOString()).toBe(slot.toISOString());
  });

  it("pg-boss's own clock fires an every-minute schedule through both instances: one task a minute", async () => {
    const api = callerFor(t);
    const schedule = await api.schedules.create(taskSchedule("Every minute", "* * * * *"));
    const [first] = await waitUntil(
      "the first firing by pg-boss",
      async () => {
        const rows = await tasksOf(t.workspaceId, schedule.id);
        return rows.length > 0 && rows;
      },
      100_000,
    );
    await api.schedules.setEnabled({ id: schedule.id, enabled: false });
    const slot = String(first!.payload.at);
    expect(new Date(slot).getUTCSeconds()).toBe(0);
    expect(first!.idempotencyKey).toBe(`schedule:${schedule.id}:${slot}`);
    // Whatever else was in flight settles; every minute has at most one task.
    await new Promise((r) => setTimeout(r, 3_000));
    const tasks = await tasksOf(t.workspaceId, schedule.id);
    expect(new Set(tasks.map((x) => x.payload.at)).size).toBe(tasks.length);
  }, 120_000);

  it("creates one task per slot: concurrent firings of one slot make one, the next slot another", async () => {
    const schedule = await callerFor(t).schedules.create(taskSchedule("Per slot"));
    const fire = (at: string) =>
      fireScheduleSlot({ workspaceId: t.workspaceId, scheduleId: schedule.id, at: new Date(at) });
    const first = await Promise.all([
      fire("2026-03-01T10:00:02Z"),
      fire("2026-03-01T10:00:05Z"),
      fire("2026-03-01T10:00:31Z"),
    ]);
    expect(first.map((o) => o.outcome).sort()).toEqual(["created", "duplicate", "duplicate"]);
    expect((await fire("2026-03-01T11:00:04Z")).outcome).toBe("created");
    // A late delivery of an older slot never fires behind a newer one.
    expect(await fire("2026-03-01T10:59:00Z")).toEqual({
      outcome: "duplicate",
      slot: "2026-03-01T10:00:00.000Z",
    });
    const tasks = await tasksOf(t.workspaceId, schedule.id);
    expect(tasks.map((x) => x.payload.at).sort()).toEqual([
      "2026-03-01T10:00:00.000Z",
      "2026-03-01T11:00:00.000Z",
    ]);
  });

  it("a disabled schedule creates nothing and has no pg-boss schedule", async () => {
    const api = callerFor(t);
    const schedule = await api.schedules.create({ ...taskSchedule("Paused"), enabled: false });
    expect(await boss.getSchedules(fireSchedule.name, schedule.id)).toEqual([]);
    const outcome = await fireScheduleSlot({
      workspaceId: t.workspaceId,
      scheduleId: schedule.id,
      at: new Date("2026-03-02T08:00:00Z"),
    });
    expect(outcome).toEqual({ outcome: "disabled" });
    expect(await tasksOf(t.workspaceId, schedule.id)).toEqual([]);
    expect(schedule.nextRuns).toEqual([]);
  });

  it("computes next runs in the schedule's time zone and reads the cron in es and en", async () => {
    const api = callerFor(t);
    const madrid = await api.schedules.create({
      ...taskSchedule("Madrid nine", "0 9 * * *", "Europe/Madrid"),
      locale: "es",
    });
    const asuncion = await api.schedules.create({
      ...taskSchedule("Asuncion nine", "0 9 * * *", "America/Asuncion"),
      locale: "en",
    });
    const hourIn = (d: Date, timeZone: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(d);
    expect(madrid.nextRuns).toHaveLength(5);
    for (const run of madrid.nextRuns) expect(hourIn(run, "Europe/Madrid")).toBe("09:00");
    for (const run of asuncion.nextRuns) expect(hourIn(run, "America/Asuncion")).toBe("09:00");
    expect(madrid.nextRuns[0]!.getTime()).not.toBe(asuncion.nextRuns[0]!.getTime());
    expect(madrid.nextRuns[0]!.getTime()).toBeGreaterThan(Date.now());
    expect(madrid.description).toBe("A las 09:00");
    expect(asuncion.description).toBe("At 09:00");
    const spanish = await api.schedules.list({ locale: "es" });
    expect(spanish.find((s) => s.id === asuncion.id)!.description).toBe("A las 09:00");

    await expect(
      api.schedules.create(taskSchedule("Bad zone", "0 9 * * *", "Mars/Olympus")),
    ).rejects.toThrow(/schedule.timeZoneInvalid/);
    await expect(api.schedules.create(taskSchedule("Six fields", "0 0 9 * * *"))).rejects.toThrow(
      /schedule.cronFields/,
    );
    await expect(api.schedules.create(taskSchedule("Bad cron", "61 * * * *"))).rejects.toThrow(
      /schedule.cronInvalid/,
    );
  });

  it("keeps pg-boss schedules in step with create, update, disable, enable and delete", async () => {
    const api = callerFor(t);
    const bossRow = async (id: string) => (await boss.getSchedules(fireSchedule.name, id))[0];
    const created = await api.schedules.create(taskSchedule("Synced", "*/30 * * * *"));
    expect(await bossRow(created.id)).toMatchObject({
      key: created.id,
      cron: "*/30 * * * *",
      timezone: "UTC",
      data: { workspaceId: t.workspaceId, scheduleId: created.id },
    });

    await api.schedules.update({
      id: created.id,
      ...taskSchedule("Synced", "15 8 * * 1-5", "America/Asuncion"),
    });
    expect(await bossRow(created.id)).toMatchObject({
      cron: "15 8 * * 1-5",
      timezone: "America/Asuncion",
    });
    await api.schedules.setEnabled({ id: created.id, enabled: false });
    expect(await bossRow(created.id)).toBeUndefined();
    await api.schedules.setEnabled({ id: created.id, enabled: true });
    expect(await bossRow(created.id)).toMatchObject({ cron: "15 8 * * 1-5" });

    // A refused write leaves pg-boss as it was.
    await expect(
      api.schedules.update({ id: created.id, ...taskSchedule("Synced", "99 * * * *") }),
    ).rejects.toThrow();
    expect(await bossRow(created.id)).toMatchObject({ cron: "15 8 * * 1-5" });

    const audit = await systemDb()
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, t.workspaceId), eq(auditLogs.targetId, created.id)));
    expect(audit.map((a) => a.action).sort()).toEqual([
      "schedule.created",
      "schedule.disabled",
      "schedule.enabled",
      "schedule.updated",
    ]);

    await api.schedules.delete({ id: created.id });
    expect(await bossRow(created.id)).toBeUndefined();
    expect((await api.schedules.list({})).some((s) => s.id === created.id)).toBe(false);
    // A firing queued before the delete finds no row and creates nothing.
    expect(
      await fireScheduleSlot({
        workspaceId: t.workspaceId,
        scheduleId: created.id,
        at: new Date(),
      }),
    ).toEqual({ outcome: "missing" });
  });

  it("reconcile restores a lost pg-boss schedule and removes one without a row", async () => {
    const api = callerFor(t);
    const kept = await api.schedules.create(taskSchedule("Drifted", "5 * * * *"));
    await boss.unschedule(fireSchedule.name, kept.id);
    const orphan = randomUUID();
    await boss.schedule(
      fireSchedule.name,
      "0 0 * * *",
      { workspaceId: t.workspaceId, scheduleId: orphan },
      { key: orphan },
    );
    const result = await reconcileBossSchedules();
    expect(result.installed).toBeGreaterThanOrEqual(1);
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect((await boss.getSchedules(fireSchedule.name, kept.id))[0]).toMatchObject({
      cron: "5 * * * *",
    });
    expect(await boss.getSchedules(fireSchedule.name, orphan)).toEqual([]);
    // Nothing left to fix.
    expect(await reconcileBossSchedules()).toEqual({ installed: 0, removed: 0 });
  });

  it("a campaign target launches a run of the saved campaign", async () => {
    const api = callerFor(t);
    const bot = await createSandboxBot(t);
    const { groupId } = await seedAudience(t.workspaceId, 3, { from: 900 });
    const saved = await api.campaigns.create(draftOf("Weekly promo", groupId, [bot.id]));
    const schedule = await api.schedules.create({
      name: "Promo",
      cron: "0 9 * * 1",
      timeZone: "America/Asuncion",
      target: { kind: "campaign", campaignId: saved.id },
    });
    const fire = () =>
      fireScheduleSlot({
        workspaceId: t.workspaceId,
        scheduleId: schedule.id,
        at: new Date("2026-03-02T12:00:10Z"), // Monday 09:00:10 in Asunción
      });
    const [a, b] = await Promise.all([fire(), fire()]);
    const created = [a, b].find((o) => o.outcome === "created");
    expect([a, b].map((o) => o.outcome).sort()).toEqual(["created", "duplicate"]);
    expect(created).toMatchObject({ kind: "campaign", slot: "2026-03-02T12:00:00.000Z" });
    const runId = (created as { id: string }).id;
    const run = await waitForCampaign(t, runId, ["completed"]);
    expect(run).toMatchObject({ name: "Weekly promo #1", parentId: saved.id });
    expect(run.counts).toMatchObject({ total: 3, sent: 3 });
    const runs = await systemDb()
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, t.workspaceId), eq(campaigns.parentId, saved.id)));
    expect(runs).toEqual([{ id: runId }]);
    // The saved campaign itself stays a draft: each firing is a run of it.
    expect((await api.campaigns.get({ id: saved.id })).status).toBe("draft");
  });

  it("keeps each workspace's schedules to itself", async () => {
    const mine = await callerFor(t).schedules.create(taskSchedule("Mine only"));
    const theirs = callerFor(other);
    expect((await theirs.schedules.list({})).map((s) => s.id)).not.toContain(mine.id);
    await expect(theirs.schedules.setEnabled({ id: mine.id, enabled: false })).rejects.toThrow(
      /schedule.notFound/,
    );
    await expect(theirs.schedules.delete({ id: mine.id })).rejects.toThrow(/schedule.notFound/);
    await expect(
      theirs.schedules.update({ id: mine.id, ...taskSchedule("Hijack") }),
    ).rejects.toThrow();
    // Another workspace's bot is not a target.
    await expect(theirs.schedules.create(taskSchedule("Borrowed bot"))).rejects.toThrow(
      /bot.notFound/,
    );
    // A firing names its workspace: in the wrong one the row does not exist.
    expect(
      await fireScheduleSlot({
        workspaceId: other.workspaceId,
        scheduleId: mine.id,
        at: new Date(),
      }),
    ).toEqual({ outcome: "missing" });
    expect((await callerFor(t).schedules.list({})).find((s) => s.id === mine.id)).toMatchObject({
      enabled: true,
    });
    // ...and leaves the real pg-boss schedule alone.
    expect(await boss.getSchedules(fireSchedule.name, mine.id)).toHaveLength(1);
  });

  it("lets a viewer read schedules but not write them", async () => {
    const viewer = await createUser();
    await addMember(t.workspace, viewer, "viewer");
    const asViewer = createCaller(contextFor(viewer, t.workspaceId));
    const existing = await callerFor(t).schedules.create(taskSchedule("Viewer sees"));
    expect((await asViewer.schedules.list({})).map((s) => s.id)).toContain(existing.id);
    await expect(asViewer.schedules.create(taskSchedule("Viewer writes"))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      asViewer.schedules.setEnabled({ id: existing.id, enabled: false }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.schedules.delete({ id: existing.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await boss.getSchedules(fireSchedule.name, existing.id)).toHaveLength(1);
  });
});
