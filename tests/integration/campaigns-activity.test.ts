/**
 * The campaign page's recent failures (`campaigns.activity`): the latest failed recipients of
 * this campaign with their reasons, newest first, at most 10 — found through the `failed`
 * events, since no index of campaign_recipient holds its status. And the recipient table's
 * status filter, which reads the statuses few rows hold through the `unsent` flag's index.
 */
import { describe, expect, it } from "vitest";
import {
  callerFor,
  campaignSuite,
  createSandboxBot,
  draftOf,
  seedAudience,
  statusCounts,
  waitForCampaign,
} from "../helpers/campaigns";
import type { Tenant } from "../helpers/import";

const failing = { latencyMs: 0, failureRate: 1, deliveredAfterMs: null, readAfterMs: null };

describe("campaign recent failures", () => {
  let t: Tenant;

  campaignSuite((tenant) => (t = tenant));

  async function run(name: string, from: number, count: number, config?: typeof failing) {
    const bot = await createSandboxBot(t, {}, config);
    const { groupId } = await seedAudience(t.workspaceId, count, { from });
    const api = callerFor(t);
    const draft = await api.campaigns.create({
      ...draftOf(name, groupId, [bot.id]),
      // Every send fails here: no auto-pause before the list has something to show.
      failureRate: 100,
    });
    await api.campaigns.launch({ id: draft.id });
    await waitForCampaign(t, draft.id, ["completed"]);
    return draft.id;
  }

  it("lists the latest 10 failures with their reason, newest first; the status filter finds each status", async () => {
    const failed = await run("Todo falla", 9500, 12, failing);
    const other = await run("Otra que falla", 9600, 3, failing);
    const fine = await run("Sin fallos", 9700, 3);
    expect(await statusCounts(t.workspaceId, failed)).toEqual({ failed: 12 });

    const { failures } = await callerFor(t).campaigns.activity({ id: failed });
    expect(failures).toHaveLength(10);
    expect(failures.every((f) => f.errorCode === "sandbox_failed" && f.attempts >= 1)).toBe(true);
    const times = failures.map((f) => f.updatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(failures.map((f) => f.id)).size).toBe(10);

    expect((await callerFor(t).campaigns.activity({ id: other })).failures).toHaveLength(3);
    expect((await callerFor(t).campaigns.activity({ id: fine })).failures).toEqual([]);

    const filtered = async (campaignId: string, status: "failed" | "sent" | "skipped") => {
      const page = await callerFor(t).campaigns.recipients({ campaignId, status, pageSize: 5 });
      return { n: page.rows.length, statuses: new Set(page.rows.map((r) => r.status)) };
    };
    expect(await filtered(failed, "failed")).toEqual({ n: 5, statuses: new Set(["failed"]) });
    expect(await filtered(failed, "sent")).toEqual({ n: 0, statuses: new Set() });
    expect(await filtered(fine, "sent")).toEqual({ n: 3, statuses: new Set(["sent"]) });
    expect(await filtered(fine, "failed")).toEqual({ n: 0, statuses: new Set() });
    expect(await filtered(fine, "skipped")).toEqual({ n: 0, statuses: new Set() });
  });
});
