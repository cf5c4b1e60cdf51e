/**
 * Dashboard rows carry the real names of their groups and bots however many the workspace has
 * (names are looked up for the ids in the answer, not taken from the first page of a list),
 * and a day Postgres cannot read (year 0) is a 400 / BAD_REQUEST, not a 500.
 */
import type { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as summaryGET } from "@/app/api/v1/stats/summary/route";
import { validationIssuesOf } from "@/lib/errors";
import { createBotInput } from "@/modules/bots/bots.schema";
import { createBot } from "@/modules/bots/bots.service";
import { ensureGroups, listGroupOptions, renameGroup } from "@/modules/contacts/groups.service";
import { todayIn } from "@/modules/stats/calendar";
import { foldWorkspace } from "@/modules/stats/fold.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { createCaller } from "@/server/root";
import enErrors from "../../messages/en/errors.json";
import { contextFor, TEST_META } from "../helpers/fixtures";
import { statsTenant, writeEvents, type StatsDataset } from "../helpers/stats-dataset";
import { call, keyFor, type ErrorBody } from "./api-helpers";

const caller = (d: StatsDataset) => createCaller(contextFor(d.user, d.workspaceId));
const DAY_INVALID = enErrors.stats.dayInvalid;

/** "A001".."A210": more groups than any first page, all sorting before "zz-…". */
const OTHER_GROUPS = Array.from({ length: 210 }, (_, i) => `A${String(i + 1).padStart(3, "0")}`);
/** "B001".."B105": more bots than any first page, all sorting before "zz-…". */
const OTHER_BOTS = Array.from({ length: 105 }, (_, i) => `B${String(i + 1).padStart(3, "0")}`);

afterAll(async () => {
  await closeDatabase();
});

describe("stats names with many groups and bots", () => {
  let d: StatsDataset;
  /** The dataset's groups (Sur, Norte), renamed to sort after every other group. */
  let groupNames: Map<string, string>;
  /** The two bots with sends, created last in name order. */
  let sendingBots: { id: string; name: string }[];

  beforeAll(async () => {
    d = await statsTenant("UTC");
    const scope = { workspaceId: d.workspaceId };
    await withTenant(scope, async (tx) => {
      const actor = { tx, workspaceId: d.workspaceId, actorUserId: d.userId, meta: TEST_META };
      const [sur, norte] = d.groupIds as [string, string];
      await renameGroup({ ...actor, id: sur, name: "zz-Sur" });
      await renameGroup({ ...actor, id: norte, name: "zz-Norte" });
      const others = await ensureGroups({ tx, workspaceId: d.workspaceId, names: OTHER_GROUPS });
      expect(others.size).toBe(OTHER_GROUPS.length);
      for (const name of OTHER_BOTS)
        await createBot({ ...actor, input: createBotInput.parse({ name, kind: "sandbox" }) });
      sendingBots = [];
      for (const name of ["zz-Uno", "zz-Dos"]) {
        const { bot } = await createBot({
          ...actor,
          input: createBotInput.parse({ name, kind: "sandbox" }),
        });
        sendingBots.push({ id: bot.id, name: bot.name });
      }
    });
    groupNames = new Map([
      [d.groupIds[0]!, "zz-Sur"],
      [d.groupIds[1]!, "zz-Norte"],
    ]);
    // Sends of the last hours through the late-named bots, to contacts of both late groups.
    const sends = { ...d, botIds: sendingBots.map((b) => b.id) };
    await writeEvents(
      sends,
      Array.from({ length: 12 }, (_, i) => new Date(Date.now() - i * 600_000)),
    );
    // A finished bot task of each late-named bot, for the tasks panel.
    const now = new Date().toISOString();
    await systemDb().execute(sql`
      with t as (
        select gen_random_uuid() as id, b as bot_id from unnest(${sql.param(sends.botIds)}::uuid[]) b
      ),
      tasks as (
        insert into bot_task (workspace_id, id, bot_id, action, status, started_at, finished_at)
        select ${d.workspaceId}, id, bot_id, 'send_message', 'SUCCEEDED', ${now}::timestamptz - interval '2 seconds', ${now}::timestamptz from t
      )
      insert into task_event (workspace_id, occurred_at, task_id, bot_id, type)
      select ${d.workspaceId}, ${now}::timestamptz, id, bot_id, 'succeeded' from t`);
    const folded = await foldWorkspace({ workspaceId: d.workspaceId });
    expect(folded.events).toBeGreaterThan(0);
    expect(folded.tasks).toBe(2);
  });

  it("sets up more groups and bots than a first page, the named ones past it", async () => {
    const options = await withTenant({ workspaceId: d.workspaceId }, (tx) =>
      listGroupOptions({ tx, workspaceId: d.workspaceId }),
    );
    // The first page of groups by name: all "A…" groups, none of the ones with sends.
    expect(options).toHaveLength(200);
    expect(options.map((g) => g.name)).not.toContain("zz-Sur");
    const bots = await caller(d).bots.list({ page: 1, pageSize: 100 });
    expect(bots.total).toBe(OTHER_BOTS.length + 4);
    expect(bots.rows.map((b) => b.name)).not.toContain("zz-Uno");
  });

  it("names every group of byGroup", async () => {
    const today = todayIn("UTC");
    const rows = await caller(d).stats.byGroup({ from: today, to: today });
    expect(rows.map((r) => r.id).sort()).toEqual([...d.groupIds].sort());
    for (const r of rows) expect(r.name, r.id).toBe(groupNames.get(r.id));
    expect(rows.every((r) => r.sent > 0)).toBe(true);
    const sur = rows.find((r) => r.id === d.groupIds[0]);
    expect(sur?.name).toBe("zz-Sur");
  });

  it("names the group of every top contact", async () => {
    const page = await caller(d).stats.byContact({ limit: 100, sort: "sent" });
    expect(page.total).toBe(d.contactIds.length);
    expect(page.rows).toHaveLength(d.contactIds.length);
    for (const r of page.rows) {
      expect(r.groupId).not.toBeNull();
      expect(r.groupName, r.contactId).toBe(groupNames.get(r.groupId!));
    }
    expect(page.rows.map((r) => r.groupName)).toContain("zz-Sur");
  });

  it("names every bot of byBot", async () => {
    const byBot = await caller(d).stats.byBot({ hours: 24 });
    expect(byBot.map((b) => [b.id, b.name]).sort()).toEqual(
      sendingBots.map((b) => [b.id, b.name]).sort(),
    );
    expect(byBot.every((b) => b.sent > 0)).toBe(true);
  });

  it("names every bot of the tasks panel", async () => {
    const today = todayIn("UTC");
    const tasks = await caller(d).stats.tasks({ from: today, to: today });
    expect(tasks.finished.succeeded).toBe(2);
    expect(tasks.byBot.map((b) => [b.id, b.name, b.succeeded]).sort()).toEqual(
      sendingBots.map((b) => [b.id, b.name, 1]).sort(),
    );
  });
});

describe("stats days Postgres cannot read", () => {
  let d: StatsDataset;
  let key: string;

  beforeAll(async () => {
    d = await statsTenant("UTC");
    key = (await keyFor(d.workspaceId, ["stats:read"])).secret;
  });

  it("refuses year 0 with 400 and the dayInvalid message over REST", async () => {
    const res = await call(summaryGET, {
      path: "/stats/summary?from=0000-01-01&to=0000-01-02",
      key,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.fieldErrors?.from).toEqual([DAY_INVALID]);
    expect(body.error.fieldErrors?.to).toEqual([DAY_INVALID]);
  });

  it("refuses year 0, and any day before 1900, with BAD_REQUEST over tRPC", async () => {
    const err = await caller(d)
      .stats.summary({ from: "0000-01-01", to: "0000-01-02" })
      .then(
        () => null,
        (e: unknown) => e as TRPCError,
      );
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    // Refused by the input's day rule (a zod issue per end), never reaching Postgres.
    const issues = validationIssuesOf(err!.cause) ?? [];
    expect(issues.map((i) => [(i.path ?? []).join("."), i.message]).sort()).toEqual([
      ["from", "stats.dayInvalid"],
      ["to", "stats.dayInvalid"],
    ]);
    await expect(
      caller(d).stats.summary({ from: "1899-12-31", to: "1900-01-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("takes 1900-01-01 as the first day, with zero counts", async () => {
    const res = await call(summaryGET, {
      path: "/stats/summary?from=1900-01-01&to=1900-01-02",
      key,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sent: 0,
      delivered: 0,
      read: 0,
      failed: 0,
      skipped: 0,
      canceled: 0,
      successRate: null,
    });
    const trpc = await caller(d).stats.summary({ from: "1900-01-01", to: "1900-01-02" });
    expect(trpc).toMatchObject({ sent: 0, failed: 0, successRate: null });
  });
});
