/**
 * What may stop a claimed send between its claim and its provider call (the round's gate in
 * send-gate.ts), through the real pipeline (pg-boss workers in this process, real Postgres, a
 * slow fake signed-webhook receiver): a phone opted out after the claim is canceled unsent; a
 * bot paused mid-job stops the job and gives its claims back. Plus what a request cut in flight
 * becomes for a channel that must never resend blindly (WhatsApp Cloud), and a draft whose
 * bot was deleted refusing to launch. And a claim released unsent giving back the cool-off
 * record it took over.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { setBotStatus } from "@/modules/bots/bots.service";
import { launchCampaign } from "@/modules/campaigns/campaign-launch.service";
import { outcomeOf } from "@/modules/campaigns/send-outcome";
import { handleInboundMessages } from "@/modules/campaigns/status-updates.service";
import { getAdapter } from "@/modules/channels/registry";
import { createWhatsappCloudAdapter } from "@/modules/channels/whatsapp-cloud.adapter";
import { systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import {
  callerFor,
  createWebhookBot,
  draftOf,
  eventsOf,
  recipientsOf,
  seedAudience,
  campaignSuite,
  statusCounts,
  waitForCampaign,
  waitUntil,
  webhookSecret,
} from "../helpers/campaigns";
import {
  digits,
  startWebhookReceiver,
  startWhatsappCloudFake,
  type WebhookReceiver,
} from "../helpers/fake-providers";
import type { Tenant } from "../helpers/import";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests the receiver took for this campaign (its payload names the campaign), in order. */
function acceptedFor(receiver: WebhookReceiver, campaignId: string) {
  return receiver.received.filter(
    (r) =>
      r.accepted && (r.body as { data?: { campaignId?: string } }).data?.campaignId === campaignId,
  );
}

describe("outcome of a request cut in flight (no database)", () => {
  const PHONE_NUMBER_ID = "106540352242922";
  const TOKEN = "EAAGtest-gate";
  const base = { id: "rcp_1", providerMessageId: null };

  it("makes an interrupted or timed-out WhatsApp send `unknown`; resend-safe channels retry it", () => {
    expect(getAdapter("whatsapp_cloud").resendIsSafe).toBe(false);
    expect(getAdapter("webhook").resendIsSafe).toBe(true);
    const now = Date.now();
    for (const code of ["interrupted", "timeout"]) {
      const unsafe = outcomeOf(
        "rcp_1",
        1,
        { outcome: "retry", code },
        { now, resendIsSafe: false },
      );
      expect(unsafe, code).toEqual({
        outcome: { ...base, status: "unknown", code, nextAttemptAt: null, event: "unknown" },
        effect: null,
      });
      const safe = outcomeOf("rcp_1", 1, { outcome: "retry", code }, { now, resendIsSafe: true });
      expect(safe.outcome, code).toMatchObject({ ...base, status: "queued", code, event: "retry" });
      expect(safe.outcome.nextAttemptAt!.getTime(), code).toBeGreaterThan(now);
      expect(safe.effect).toBeNull();
    }
    // Aborted before the request (nothing left this process) and a refused connection are
    // not ambiguous: even WhatsApp retries them.
    for (const code of ["aborted", "network"]) {
      const unsafe = outcomeOf("rcp_1", 1, { outcome: "retry", code }, { resendIsSafe: false });
      expect(unsafe.outcome, code).toMatchObject({ status: "queued", code, event: "retry" });
    }
    // The retry budget still ends in `failed` for a resend-safe channel.
    expect(
      outcomeOf("rcp_1", 5, { outcome: "retry", code: "interrupted" }, { resendIsSafe: true })
        .outcome,
    ).toMatchObject({ status: "failed", code: "interrupted", event: "failed" });
  });

  it("a WhatsApp request cut in flight comes back `interrupted` (aborted before it: `aborted`)", async () => {
    const meta = await startWhatsappCloudFake({
      accessToken: TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
    });
    try {
      meta.setLatency(2_000);
      const message = {
        recipientId: "rcp_1",
        campaignId: "cmp_1",
        to: "+595981123456",
        text: "Hola",
      };
      const sendCtx = (signal: AbortSignal) => ({
        botId: "bot_wa",
        config: { baseUrl: meta.url, phoneNumberId: PHONE_NUMBER_ID },
        credentials: { accessToken: TOKEN },
        signal,
      });
      const adapter = createWhatsappCloudAdapter();
      const controller = new AbortController();
      const pending = adapter.send(message, sendCtx(controller.signal));
      setTimeout(() => controller.abort(), 50);
      const cut = await pending;
      expect(cut).toEqual({ outcome: "retry", code: "interrupted" });
      expect(
        outcomeOf("rcp_1", 1, cut, { resendIsSafe: adapter.resendIsSafe }).outcome,
      ).toMatchObject({ status: "unknown", code: "interrupted", event: "unknown" });
      expect(await adapter.send(message, sendCtx(AbortSignal.abort()))).toEqual({
        outcome: "retry",
        code: "aborted",
      });

      const impatient = createWhatsappCloudAdapter({ timeoutMs: 50 });
      const late = await impatient.send(message, sendCtx(new AbortController().signal));
      expect(late).toEqual({ outcome: "retry", code: "timeout" });
      expect(outcomeOf("rcp_1", 1, late, { resendIsSafe: false }).outcome.status).toBe("unknown");
    } finally {
      await meta.close();
    }
  });
});

describe("the send gate and launch checks, through the real pipeline", () => {
  let t: Tenant;
  const receivers: WebhookReceiver[] = [];

  campaignSuite((tenant) => (t = tenant));
  afterAll(() => Promise.all(receivers.map((r) => r.close())));

  async function slowReceiver(latencyMs: number) {
    const secret = webhookSecret();
    const receiver = await startWebhookReceiver({ secrets: [secret] });
    receivers.push(receiver);
    receiver.setLatency(latencyMs);
    return { receiver, secret };
  }

  it("cancels, unsent, a claimed recipient whose phone opts out while the job is sending", async () => {
    // Unpaced: one round claims all 20, then sends them one by one, ~100 ms each.
    const { receiver, secret } = await slowReceiver(100);
    const bot = await createWebhookBot(t, receiver.url, secret);
    const { groupId, phones } = await seedAudience(t.workspaceId, 20, { from: 100 });
    // Claims go in phone order: the largest phone is the round's last send.
    const last = [...phones].sort().at(-1)!;
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Baja en vuelo", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });

    await waitUntil("the first sends", async () => acceptedFor(receiver, campaign.id).length >= 2);
    const target = (await recipientsOf(t.workspaceId, campaign.id)).find((r) => r.phone === last)!;
    // Already claimed: the opt-out's own cancel (queued sends only) cannot reach it.
    expect(target.status).toBe("sending");
    const { optedOut } = await handleInboundMessages({
      workspaceId: t.workspaceId,
      messages: [{ from: last, text: "BAJA" }],
    });
    expect(optedOut).toBe(1);

    const done = await waitForCampaign(t, campaign.id, ["completed"], 15_000);
    expect(done.counts).toMatchObject({ total: 20, sent: 19, pending: 0 });
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    const canceled = rows.find((r) => r.id === target.id)!;
    expect(canceled).toMatchObject({ status: "canceled", errorCode: "opted_out", attempts: 0 });
    expect(canceled.providerMessageId).toBeNull();
    // The provider never heard of it, by id or by number.
    expect(receiver.received.filter((r) => r.ids.includes(target.id))).toHaveLength(0);
    expect(receiver.received.filter((r) => r.to.includes(digits(last)))).toHaveLength(0);
    // Everyone else went out, once each.
    const others = rows.filter((r) => r.id !== target.id);
    expect(others.every((r) => r.status === "sent")).toBe(true);
    for (const r of others) expect(receiver.count(r.id), r.phone).toBe(1);
    expect(await statusCounts(t.workspaceId, campaign.id)).toEqual({ sent: 19, canceled: 1 });
    expect(await eventsOf(t.workspaceId, campaign.id)).toMatchObject({ sent: 19, canceled: 1 });
  });

  it("stops the job when its bot is paused mid-send, giving the unsent claims back as queued", async () => {
    // 4/s: rounds of 4 claims, one send every 250 ms; 20 recipients would take ~5 s.
    const { receiver, secret } = await slowReceiver(0);
    const bot = await createWebhookBot(t, receiver.url, secret, { ratePerSecond: 4 });
    const { groupId } = await seedAudience(t.workspaceId, 20, { from: 300 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Bot en pausa", groupId, [bot.id]));
    await api.campaigns.launch({ id: campaign.id });

    await waitUntil("the first sends", async () => acceptedFor(receiver, campaign.id).length >= 2);
    const pausedAt = Date.now();
    await withTenant({ workspaceId: t.workspaceId }, (tx) =>
      setBotStatus({
        tx,
        workspaceId: t.workspaceId,
        actorUserId: t.userId,
        meta: null,
        id: bot.id,
        status: "paused",
        reason: "manual",
      }),
    );
    const atPause = acceptedFor(receiver, campaign.id).length;

    // The job settles its round and ends: nothing is left claimed.
    const settled = await waitUntil(
      "the claims to be settled",
      async () => {
        const counts = await statusCounts(t.workspaceId, campaign.id);
        return !counts.sending && counts;
      },
      5_000,
    );
    // A quiet second and a half: at 4/s a job still running would send ~6 more.
    await sleep(1_500);
    const sent = acceptedFor(receiver, campaign.id);
    // The gate reads the bot at most every 250 ms: beyond the send in flight, at most the one
    // that passed a read taken just before the pause.
    expect(sent.length - atPause).toBeLessThanOrEqual(2);
    expect(sent.filter((r) => r.at > pausedAt + 600)).toHaveLength(0);
    expect(sent.length).toBeLessThan(10);

    const counts = await statusCounts(t.workspaceId, campaign.id);
    expect(counts).toEqual(settled);
    expect(counts).toEqual({ sent: sent.length, queued: 20 - sent.length });
    const rows = await recipientsOf(t.workspaceId, campaign.id);
    // Given back untouched: the released claims' attempts were refunded, no retry is due later.
    for (const r of rows.filter((x) => x.status === "queued")) {
      expect(r, r.phone).toMatchObject({ attempts: 0, errorCode: null, nextAttemptAt: null });
    }
    const events = await eventsOf(t.workspaceId, campaign.id);
    expect(events).toMatchObject({ sent: sent.length });
    expect(events).not.toHaveProperty("failed");
    expect(events).not.toHaveProperty("canceled");
    // The campaign itself keeps running (it resumes with the bot); the bot stays paused.
    expect((await api.campaigns.get({ id: campaign.id })).status).toBe("running");
    expect((await api.bots.get({ id: bot.id })).status).toBe("paused");
  });

  it("refuses to launch a draft whose bot was deleted, and leaves it a draft", async () => {
    const { receiver, secret } = await slowReceiver(0);
    const bot = await createWebhookBot(t, receiver.url, secret);
    const { groupId } = await seedAudience(t.workspaceId, 3, { from: 500 });
    const api = callerFor(t);
    const campaign = await api.campaigns.create(draftOf("Sin bot", groupId, [bot.id]));
    await api.bots.delete({ id: bot.id });

    const err = await launchCampaign({
      workspaceId: t.workspaceId,
      actorUserId: t.userId,
      meta: null,
      id: campaign.id,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "BAD_REQUEST", key: "campaign.botDeleted" });
    // Through the API too: a client error, not a launch.
    await expect(api.campaigns.launch({ id: campaign.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const after = await api.campaigns.get({ id: campaign.id });
    expect(after.status).toBe("draft");
    expect(after.launchedAt ?? null).toBeNull();
    expect(await recipientsOf(t.workspaceId, campaign.id)).toHaveLength(0);
    expect(receiver.received).toHaveLength(0);
  });

  it("a shorter cool-off's claim that fails gives the phone's earlier send back to the ledger", async () => {
    type LedgerRow = {
      last_sent_at: string;
      campaign_id: string | null;
      recipient_id: string | null;
      prev_sent_at: string | null;
      prev_campaign_id: string | null;
      prev_recipient_id: string | null;
    };
    const ledgerOf = async (phone: string) => {
      const { rows } = await systemDb().execute<LedgerRow>(sql`
        select last_sent_at::text as last_sent_at, campaign_id, recipient_id,
               prev_sent_at::text as prev_sent_at, prev_campaign_id, prev_recipient_id
          from send_ledger where workspace_id = ${t.workspaceId} and phone = ${phone}`);
      return rows;
    };
    const noPrevious = { prev_sent_at: null, prev_campaign_id: null, prev_recipient_id: null };
    // The workspace's cool-off is the default (days, not 0): X's send holds P for a while.
    expect(t.workspace.cooloffDays).toBeGreaterThan(0);

    const { receiver: ok, secret: okSecret } = await slowReceiver(0);
    const okBot = await createWebhookBot(t, ok.url, okSecret);
    const {
      groupId: gP,
      phones: [p],
    } = await seedAudience(t.workspaceId, 1, { from: 700 });
    const {
      groupId: gQ,
      phones: [q],
    } = await seedAudience(t.workspaceId, 1, { from: 710 });
    const api = callerFor(t);

    // X, default cool-off, reaches P.
    const x = await api.campaigns.create(draftOf("Cooloff X", gP, [okBot.id]));
    await api.campaigns.launch({ id: x.id });
    expect((await waitForCampaign(t, x.id, ["completed"])).counts).toMatchObject({ sent: 1 });
    const [xRecipient] = await recipientsOf(t.workspaceId, x.id);
    expect(xRecipient).toMatchObject({ phone: p, status: "sent" });
    const xRecord = {
      campaign_id: x.id,
      recipient_id: xRecipient!.id,
      last_sent_at: (await ledgerOf(p!))[0]!.last_sent_at,
    };
    expect(await ledgerOf(p!)).toEqual([{ ...xRecord, ...noPrevious }]);
    expect(new Date(xRecord.last_sent_at).getTime()).toBeLessThanOrEqual(
      xRecipient!.sentAt!.getTime(),
    );

    // Y overrides the cool-off to 0 days; its provider refuses P for good (a 422: `failed`).
    const { receiver: refusing, secret: refusingSecret } = await slowReceiver(1_000);
    refusing.failFor(p!, { status: 422, body: { error: "unprocessable" } });
    const refusingBot = await createWebhookBot(t, refusing.url, refusingSecret);
    const y = await api.campaigns.create({
      ...draftOf("Cooloff Y", gP, [refusingBot.id]),
      cooloffDays: 0,
      cooloffReason: "Aviso urgente de corte de servicio",
    });
    await api.campaigns.launch({ id: y.id });
    // While its request is in flight, Y's claim holds P's record and keeps X's aside.
    const [yRecipient] = await waitUntil("Y to claim P", async () => {
      const rows = await recipientsOf(t.workspaceId, y.id);
      return rows[0]?.status === "sending" && rows;
    });
    const held = await waitUntil("Y's claim in the ledger", async () => {
      const [row] = await ledgerOf(p!);
      return row?.campaign_id === y.id && row;
    });
    expect(held).toMatchObject({
      recipient_id: yRecipient!.id,
      prev_sent_at: xRecord.last_sent_at,
      prev_campaign_id: x.id,
      prev_recipient_id: xRecipient!.id,
    });

    const yDone = await waitForCampaign(t, y.id, ["completed"]);
    expect(yDone.counts).toMatchObject({ total: 1, sent: 0, failed: 1, pending: 0 });
    expect((await recipientsOf(t.workspaceId, y.id))[0]).toMatchObject({
      id: yRecipient!.id,
      status: "failed",
      errorCode: "http_422",
    });
    expect(refusing.received.filter((r) => r.to.includes(digits(p!)))).toHaveLength(1);
    expect(await eventsOf(t.workspaceId, y.id)).toMatchObject({ failed: 1 });
    // Released unsent: the record is X's send again, exactly, with nothing set aside.
    expect(await ledgerOf(p!)).toEqual([{ ...xRecord, ...noPrevious }]);

    // Z, default cool-off, to P and a phone never contacted: P is inside X's cool-off.
    const z = await api.campaigns.create({
      ...draftOf("Cooloff Z", gP, [okBot.id]),
      audience: { groupIds: [gP, gQ], excludeGroupIds: [], sources: [] },
    });
    await api.campaigns.launch({ id: z.id });
    const zDone = await waitForCampaign(t, z.id, ["completed"]);
    expect(zDone.counts).toMatchObject({ total: 2, sent: 1, skipped: 1, pending: 0 });
    const zRows = await recipientsOf(t.workspaceId, z.id);
    expect(zRows.find((r) => r.phone === p)).toMatchObject({
      status: "skipped",
      errorCode: "cooloff",
      attempts: 0,
      providerMessageId: null,
    });
    expect(zRows.find((r) => r.phone === q)).toMatchObject({ status: "sent" });
    // P heard from X only, once.
    expect(acceptedFor(ok, z.id).map((r) => r.to)).toEqual([[digits(q!)]]);
    expect(ok.received.filter((r) => r.to.includes(digits(p!)))).toHaveLength(1);
    expect(acceptedFor(ok, x.id).map((r) => r.to)).toEqual([[digits(p!)]]);
    expect(await ledgerOf(p!)).toEqual([{ ...xRecord, ...noPrevious }]);
  });

  it("a failed send takes its phone out of the ledger; the round's sent phones stay in it", async () => {
    const { receiver, secret } = await slowReceiver(0);
    const { groupId, phones } = await seedAudience(t.workspaceId, 3, { from: 730 });
    const [refused, ...reached] = phones as [string, ...string[]];
    receiver.failFor(refused, { status: 422, body: { error: "unprocessable" } });
    const bot = await createWebhookBot(t, receiver.url, secret);
    const api = callerFor(t);
    const c = await api.campaigns.create(draftOf("Ledger release", groupId, [bot.id]));
    await api.campaigns.launch({ id: c.id });
    const done = await waitForCampaign(t, c.id, ["completed"]);
    expect(done.counts).toMatchObject({ total: 3, sent: 2, failed: 1, pending: 0 });
    const { rows } = await systemDb().execute<{ phone: string; campaign_id: string }>(sql`
      select phone, campaign_id from send_ledger
       where workspace_id = ${t.workspaceId} and phone = any(${sql.param(phones)}::text[])
       order by phone`);
    expect(rows).toEqual(reached.sort().map((phone) => ({ phone, campaign_id: c.id })));
  });
});
