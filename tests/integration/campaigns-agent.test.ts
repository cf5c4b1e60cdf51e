/**
 * A campaign on an `agent` bot, end to end: the send job hands each recipient to the bot as
 * a `send_message` task; an agent built on the TypeScript SDK pulls them over the fast lane,
 * "sends" and reports; each result settles its recipient exactly like a server-side send
 * (status, provider id, event, ledger, rollup) and the last one completes the campaign. An
 * agent that fails a task for good fails its recipient with the agent's code.
 *
 * Stopping: a pause recalls the tasks no agent has leased (their recipients wait, queued, for
 * the resume, which hands each over once more); a cancel recalls them for good; a task leased
 * before the pause still settles its recipient exactly once; a retry, a requeue or an opt-out
 * after the fact is refused when an agent next pulls.
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
  eventsOf,
  recipientsOf,
  seedAudience,
  startCampaignWorkers,
  statusCounts,
  waitForCampaign,
  waitUntil,
} from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { agentCall, createAgentBot, pull, type Agent } from "./agents-helpers";
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

type TaskRow = {
  id: string;
  status: string;
  error: string | null;
  recipient_id: string;
  to: string;
  idempotency_key: string | null;
};

/** The bot's tasks, oldest first, read as the owner. */
async function tasksOf(workspaceId: string, botId: string): Promise<TaskRow[]> {
  const { rows } = await systemDb().execute<TaskRow>(sql`
    select id, status::text, error, payload->>'recipientId' as recipient_id,
           payload->>'to' as "to", idempotency_key
      from bot_task where workspace_id = ${workspaceId} and bot_id = ${botId} order by id`);
  return rows;
}

async function waitForPending(workspaceId: string, botId: string, n: number) {
  return waitUntil(`${n} pending tasks`, async () => {
    const pending = (await tasksOf(workspaceId, botId)).filter((r) => r.status === "PENDING");
    return pending.length === n && pending;
  });
}

type Pulled = { id: string; attempt: number; payload: { to: string; recipientId: string } };

async function pullAll(agent: Agent, limit = 20) {
  return (await pull(lane.url, agent, limit)) as unknown as Pulled[];
}

/** Posts the result of the task's pulled attempt. */
async function report(agent: Agent, task: Pulled, body: Record<string, unknown>) {
  const res = await agentCall(lane.url, agent, `/tasks/${task.id}/result`, {
    ...body,
    attempt: task.attempt,
  });
  expect(res.status).toBe(200);
  return res.json as { status: string; changed: boolean };
}

/** An agent that sends everything it is given, until the campaign is `completed`. */
async function drain(agent: Agent, campaignId: string, sent: string[]) {
  return waitUntil(
    "the campaign to complete",
    async () => {
      for (const task of await pullAll(agent)) {
        sent.push(task.payload.recipientId);
        await report(agent, task, { ok: true, providerMessageId: `p-${task.id}` });
      }
      const view = await callerFor(t).campaigns.get({ id: campaignId });
      return view.status === "completed" && view;
    },
    30_000,
  );
}

async function auditAfter(campaignId: string, action: string) {
  const { rows } = await systemDb().execute<{ after: Record<string, unknown> }>(sql`
    select after from audit_log where workspace_id = ${t.workspaceId}
       and action = ${action} and target_id = ${campaignId} order by id`);
  return rows.map((r) => r.after);
}

const countBy = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

describe("pausing and cancelling a campaign on an agent bot", () => {
  it("pause recalls the pending tasks; resume hands each recipient over once and completes", async () => {
    const agent = await createAgentBot(t, { concurrency: 10 });
    const { groupId } = await seedAudience(t.workspaceId, 6, { from: 9200 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Pausa", groupId, [agent.botId]));
    await api.campaigns.launch({ id: campaign.id });
    const first = await waitForPending(t.workspaceId, agent.botId, 6);

    await api.campaigns.pause({ id: campaign.id });

    // Every pending task is taken back, gives up its key, and its recipient waits, queued.
    const recalled = await tasksOf(t.workspaceId, agent.botId);
    expect(recalled.map((r) => [r.status, r.error, r.idempotency_key])).toEqual(
      first.map(() => ["CANCELED", "campaign_paused", null]),
    );
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ queued: 6 });
    const recipients = await recipientsOf(t.workspaceId, campaign.id);
    expect(recipients.every((r) => r.claimedBy === null)).toBe(true);
    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ released: 6 });
    expect(await auditAfter(campaign.id, "campaign.paused")).toEqual([
      { status: "paused", recalledTasks: 6 },
    ]);
    // Nothing for the agent while paused.
    expect(await pullAll(agent)).toEqual([]);

    await api.campaigns.resume({ id: campaign.id });
    const second = await waitForPending(t.workspaceId, agent.botId, 6);
    // Same recipients, new tasks under the same idempotency keys.
    expect(second.map((r) => r.recipient_id).sort()).toEqual(
      first.map((r) => r.recipient_id).sort(),
    );
    expect(second.every((r) => r.idempotency_key === `send_message:${r.recipient_id}`)).toBe(true);

    const sent: string[] = [];
    const done = await drain(agent, campaign.id, sent);
    expect(done.counts).toMatchObject({ total: 6, sent: 6, canceled: 0, pending: 0 });
    expect(Object.values(countBy(sent))).toEqual([1, 1, 1, 1, 1, 1]);
    const events = await eventsOf(t.workspaceId, campaign.id);
    expect(events).toMatchObject({ sent: 6, released: 6 });
    expect(events.canceled).toBeUndefined();
    const tasks = await tasksOf(t.workspaceId, agent.botId);
    expect(countBy(tasks.map((r) => r.status))).toEqual({ CANCELED: 6, SUCCEEDED: 6 });
  });

  it("cancel recalls the pending tasks for good; a leased one finishes, a retry of it is refused", async () => {
    const agent = await createAgentBot(t, { concurrency: 10 });
    const { groupId } = await seedAudience(t.workspaceId, 5, { from: 9300 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Cancelar", groupId, [agent.botId]));
    await api.campaigns.launch({ id: campaign.id });
    await waitForPending(t.workspaceId, agent.botId, 5);
    const [ok, retried] = await pullAll(agent, 2);

    await api.campaigns.cancel({ id: campaign.id });

    const after = await tasksOf(t.workspaceId, agent.botId);
    expect(countBy(after.map((r) => `${r.status}:${r.error}`))).toEqual({
      "LEASED:null": 2,
      "CANCELED:campaign_canceled": 3,
    });
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ sending: 2, canceled: 3 });
    expect(await auditAfter(campaign.id, "campaign.canceled")).toEqual([
      { status: "canceled", canceledRecipients: 3, recalledTasks: 3 },
    ]);
    expect(await pullAll(agent)).toEqual([]);

    // The leased ones come back: one sent, one to be retried — and that retry never leaves.
    expect(await report(agent, ok!, { ok: true, providerMessageId: "p-ok" })).toMatchObject({
      status: "SUCCEEDED",
      changed: true,
    });
    expect(
      await report(agent, retried!, { ok: false, error: "busy", retryable: true }),
    ).toMatchObject({ status: "PENDING" });
    // Skip the backoff's wait: the retry is due now.
    await systemDb().execute(
      sql`update bot_task set scheduled_for = now() where workspace_id = ${t.workspaceId} and id = ${retried!.id}`,
    );
    expect(await pullAll(agent)).toEqual([]);

    const final = await recipientsOf(t.workspaceId, campaign.id);
    expect(countBy(final.map((r) => `${r.status}:${r.errorCode}`))).toEqual({
      "sent:null": 1,
      "canceled:campaign_canceled": 4,
    });
    const { rows } = await systemDb().execute<{ status: string; n: number }>(sql`
      select status, sum(count)::int as n from campaign_rollup
       where workspace_id = ${t.workspaceId} and campaign_id = ${campaign.id}
         and status in ('sent', 'canceled') group by 1 order by 1`);
    expect(rows).toEqual([
      { status: "canceled", n: 4 },
      { status: "sent", n: 1 },
    ]);
    expect((await api.campaigns.get({ id: campaign.id })).status).toBe("canceled");
  });

  it("a task leased before the pause settles once; a retry during the pause goes back to the queue", async () => {
    const agent = await createAgentBot(t, { concurrency: 10 });
    const { groupId } = await seedAudience(t.workspaceId, 4, { from: 9400 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("En vuelo", groupId, [agent.botId]));
    await api.campaigns.launch({ id: campaign.id });
    await waitForPending(t.workspaceId, agent.botId, 4);
    const [late, retried] = await pullAll(agent, 2);

    await api.campaigns.pause({ id: campaign.id });
    expect(await auditAfter(campaign.id, "campaign.paused")).toEqual([
      { status: "paused", recalledTasks: 2 },
    ]);

    // The late result settles its recipient; repeating it changes nothing.
    expect(await report(agent, late!, { ok: true, providerMessageId: "p-late" })).toMatchObject({
      status: "SUCCEEDED",
      changed: true,
    });
    expect(await report(agent, late!, { ok: true, providerMessageId: "p-late" })).toMatchObject({
      status: "SUCCEEDED",
      changed: false,
    });
    // The other asks for a retry: while paused, the next pull takes it back instead.
    await report(agent, retried!, { ok: false, error: "busy", retryable: true });
    await systemDb().execute(
      sql`update bot_task set scheduled_for = now() where workspace_id = ${t.workspaceId} and id = ${retried!.id}`,
    );
    expect(await pullAll(agent)).toEqual([]);
    const retriedRow = (await tasksOf(t.workspaceId, agent.botId)).find(
      (r) => r.id === retried!.id,
    );
    expect(retriedRow).toMatchObject({ status: "CANCELED", error: "campaign_paused" });
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ sent: 1, queued: 3 });

    await api.campaigns.resume({ id: campaign.id });
    await waitForPending(t.workspaceId, agent.botId, 3);
    const sent = [late!.payload.recipientId];
    const done = await drain(agent, campaign.id, sent);
    expect(done.counts).toMatchObject({ total: 4, sent: 4, pending: 0 });
    expect(Object.values(countBy(sent))).toEqual([1, 1, 1, 1]);
    const recipients = await recipientsOf(t.workspaceId, campaign.id);
    const lateRecipient = recipients.find((r) => r.id === late!.payload.recipientId);
    expect(lateRecipient).toMatchObject({ status: "sent", providerMessageId: "p-late" });
    expect((await eventsOf(t.workspaceId, campaign.id)).sent).toBe(4);
  });

  it("a pending task to a phone opted out meanwhile is not handed out", async () => {
    const agent = await createAgentBot(t, { concurrency: 10 });
    const { groupId, phones } = await seedAudience(t.workspaceId, 3, { from: 9500 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Baja", groupId, [agent.botId]));
    await api.campaigns.launch({ id: campaign.id });
    await waitForPending(t.workspaceId, agent.botId, 3);

    const { rows } = await systemDb().execute<{ id: string }>(
      sql`select id from contact where workspace_id = ${t.workspaceId} and phone = ${phones[0]!}`,
    );
    await api.contacts.optOut({ id: rows[0]!.id, reason: "Respondió BAJA" });

    const pulled = await pullAll(agent);
    expect(pulled.map((p) => p.payload.to).sort()).toEqual(phones.slice(1).sort());
    const refused = (await tasksOf(t.workspaceId, agent.botId)).find((r) => r.to === phones[0]);
    expect(refused).toMatchObject({ status: "CANCELED", error: "opted_out" });

    for (const task of pulled) await report(agent, task, { ok: true });
    const done = await waitForCampaign(t, campaign.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 3, sent: 2, canceled: 1, pending: 0 });
    const recipients = await recipientsOf(t.workspaceId, campaign.id);
    expect(recipients.find((r) => r.phone === phones[0])).toMatchObject({
      status: "canceled",
      errorCode: "opted_out",
    });
  });
});
