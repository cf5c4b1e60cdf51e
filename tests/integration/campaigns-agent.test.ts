/**
 * A campaign on an `agent` bot, end to end: the send job hands each recipient to the bot as
 * a `send_message` task; an agent built on the TypeScript SDK pulls them over the fast lane,
 * "sends" and reports; each result settles its recipient exactly like a server-side send
 * (status, provider id, event, ledger, rollup) and the last one completes the campaign. An
 * agent that fails a task for good fails its recipient with the agent's code.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAgentBridge } from "@/modules/campaigns/agent-bridge";
import { closeDatabase, systemDb } from "@/server/db/client";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { createClient } from "../../sdk/typescript/src/index";
import {
  callerFor,
  draftOf,
  recipientsOf,
  seedAudience,
  startCampaignWorkers,
  statusCounts,
  waitForCampaign,
} from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot } from "./agents-helpers";
import { startFastLane, type LaneServer } from "./webhooks-helpers";

let lane: LaneServer;
let t: Tenant;

beforeAll(async () => {
  registerAgentBridge();
  lane = await startFastLane();
  await startCampaignWorkers(await getBoss());
  t = await freshTenant();
});

afterAll(async () => {
  await lane?.close();
  await stopBoss();
  await closeDatabase();
});

describe("campaigns on agent bots", () => {
  it("hands recipients to the agent as tasks; its results settle them and complete the campaign", async () => {
    const agent = await createAgentBot(t, { concurrency: 4 });
    const { groupId, phones } = await seedAudience(t.workspaceId, 12, { from: 9100 });
    const unreachable = phones.at(-1)!;
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Agentes", groupId, [agent.botId]));
    await api.campaigns.launch({ id: campaign.id });

    const seen: string[] = [];
    const client = createClient({ ...agent, baseUrl: lane.url });
    const stop = new AbortController();
    const loop = client.runAgent(
      async (task) => {
        const payload = task.payload as { to: string; text?: string };
        seen.push(`${payload.to}|${payload.text ?? ""}`);
        // One number is "unreachable": a permanent failure.
        if (payload.to === unreachable)
          throw Object.assign(new Error("unreachable"), { code: "unreachable", retryable: false });
        return { providerMessageId: `agent-${payload.to.slice(-4)}` };
      },
      { signal: stop.signal, concurrency: 4, idleMs: 50, maxIdleMs: 200 },
    );
    let done;
    try {
      done = await waitForCampaign(t, campaign.id, ["completed"], 60_000);
    } finally {
      stop.abort();
      await loop;
    }

    expect(done.counts).toMatchObject({ total: 12, sent: 11, failed: 1, pending: 0 });
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ sent: 11, failed: 1 });
    // Each recipient was handed over once, with its rendered text.
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen.every((s) => /\|Hola .+/.test(s))).toBe(true);

    const recipients = await recipientsOf(t.workspaceId, campaign.id);
    const failed = recipients.filter((r) => r.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ errorCode: "unreachable" });
    const sent = recipients.filter((r) => r.status === "sent");
    expect(sent.every((r) => r.providerMessageId === `agent-${r.phone.slice(-4)}`)).toBe(true);

    // Same records as a server-side send: one event per outcome, ledger rows for the sent,
    // rollups that add up.
    const db = systemDb();
    const { rows } = await db.execute<{ events: number; ledger: number; rolled: number }>(sql`
      select (select count(*)::int from message_event where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id} and type in ('sent', 'failed')) as events,
             (select count(*)::int from send_ledger where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id}) as ledger,
             (select coalesce(sum(count), 0)::int from campaign_rollup where workspace_id = ${t.workspaceId}
                and campaign_id = ${campaign.id} and status = 'sent') as rolled`);
    expect(rows[0]).toEqual({ events: 12, ledger: 11, rolled: 11 });

    const tasks = await db.execute<{ status: string; n: number }>(sql`
      select status::text, count(*)::int as n from bot_task
       where workspace_id = ${t.workspaceId} and bot_id = ${agent.botId} group by 1 order by 1`);
    expect(tasks.rows).toEqual([
      { status: "FAILED", n: 1 },
      { status: "SUCCEEDED", n: 11 },
    ]);
  });
});
