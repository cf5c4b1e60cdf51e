/**
 * The `campaign.send` job: one batch of one campaign for one bot. Each round claims a chunk
 * (`queued → sending`, committed, with its pacing slots reserved), makes the provider calls,
 * then settles the chunk in one transaction (recipients, events, ledger, rollups). A retry
 * of the job first resolves what a dead attempt left `sending`: re-sent when the provider
 * de-duplicates on our id, else marked `unknown` for the status webhooks to reconcile.
 */
import { sql } from "drizzle-orm";
import { logger } from "@/lib/logger";
import { warmHttpClient } from "@/modules/channels/http-send";
import { getAdapter, isServerSentKind } from "@/modules/channels/registry";
import type { ChannelAdapter, OutboundMessage, SendResult } from "@/modules/channels/channel.types";
import { loadSenderBots, setBotStatus, type SenderBot } from "@/modules/bots/bots.service";
import {
  admitSend,
  recordDeparture,
  emissionIntervalMs,
  isPaced,
  perSecondLimit,
  releaseDailySlots,
  reserveSlots,
} from "@/modules/bots/pacing";
import { getWorkspace } from "@/modules/workspaces/workspaces.service";
import { withTenant, type Tx } from "@/server/db/tenant";
import { enqueue, enqueueMany } from "@jobs/enqueue";
import { applySandboxReceipts } from "@jobs/campaigns/status-updates.job";
import { sendCampaignBatch } from "@jobs/campaigns/send.job";
import { handOverToAgents } from "./agent-bridge";
import { completeIfDone, notifyCampaign, pauseForReason } from "./campaign-launch.service";
import { campaignStatus, forgetCampaignStatus } from "./campaign-status-cache";
import type { Campaign } from "./campaigns.table";
import { requireCampaign } from "./campaigns.service";
import { announceProgress } from "./progress-notify";
import { roundGate, type RoundGate } from "./send-gate";
import { outcomeOf, type SideEffect } from "./send-outcome";
import {
  claimRecipients,
  findOrphanedClaims,
  nextPendingInBatch,
  recentFailureRate,
  settleRecipients,
  type ClaimedRecipient,
  type Outcome,
} from "./send.queries";
import { renderTemplate } from "./template-render";

type BatchJob = {
  workspaceId: string;
  campaignId: string;
  botId: string;
  batch: number;
  concurrency: number;
  jobId: string;
  retryCount: number;
  signal: AbortSignal;
};

type Context = BatchJob & {
  campaign: Campaign;
  bot: SenderBot;
  /** Null for an `agent` bot: its recipients are handed to its agents as tasks. */
  adapter: ChannelAdapter | null;
  timeZone: string;
  cooloffDays: number;
};

/** Recipients claimed per round: all at once for an unpaced bot; about a second's worth if paced. */
function chunkSize(bot: SenderBot): number {
  // An agent bot's pacing applies when its agents pull, not when tasks are created.
  if (!isPaced(bot) || !isServerSentKind(bot.kind)) return 500;
  const perSecond = Math.max(bot.ratePerSecond ?? 0, (bot.ratePerMinute ?? 0) / 60);
  return Math.max(1, Math.min(50, Math.ceil(perSecond || 1)));
}

function messageFor(ctx: Context, r: ClaimedRecipient): OutboundMessage | { missing: string[] } {
  const template = ctx.campaign.templates[r.templateIndex] ?? ctx.campaign.templates[0]!;
  const base = { recipientId: r.id, campaignId: ctx.campaignId, to: r.phone };
  if (template.kind === "text") {
    const out = renderTemplate(template.body, r);
    return out.ok ? { ...base, text: out.text } : { missing: out.missing };
  }
  const params: string[] = [];
  for (const p of template.params) {
    const out = renderTemplate(p, r);
    if (!out.ok) return { missing: out.missing };
    params.push(out.text);
  }
  return { ...base, template: { name: template.name, language: template.language, params } };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

/**
 * Sleeps until the local epoch ms `at`: a timer counts from the event loop's cached clock,
 * which lags after synchronous work, so one timer can end a few ms early; this one cannot.
 */
async function sleepUntil(at: number, signal: AbortSignal) {
  while (!signal.aborted && Date.now() < at) await sleep(Math.ceil(at - Date.now()), signal);
}

async function load(tx: Tx, job: BatchJob): Promise<Context | null> {
  const campaign = await requireCampaign(tx, job.workspaceId, job.campaignId).catch(() => null);
  if (!campaign || campaign.status !== "running") return null;
  const [bot] = await loadSenderBots(tx, job.workspaceId, [job.botId]);
  if (!bot || bot.status !== "active") return null;
  const workspace = await getWorkspace({ tx, workspaceId: job.workspaceId });
  return {
    ...job,
    campaign,
    bot,
    adapter: isServerSentKind(bot.kind) ? getAdapter(bot.kind) : null,
    timeZone: workspace.timeZone,
    cooloffDays: campaign.cooloffDays ?? workspace.cooloffDays,
  };
}

/** Resolves claims left by a dead attempt of this job (see the file comment). */
async function recoverOrphans(tx: Tx, ctx: Context) {
  const ids = await findOrphanedClaims(tx, { ...ctx });
  if (ids.length === 0) return;
  const safe = ctx.adapter?.resendIsSafe ?? false;
  logger.warn(
    { campaignId: ctx.campaignId, batch: ctx.batch, count: ids.length, resend: safe },
    "recovering orphaned claims",
  );
  await settleRecipients(tx, {
    workspaceId: ctx.workspaceId,
    campaignId: ctx.campaignId,
    outcomes: ids.map((id) => ({
      id,
      status: safe ? "queued" : "unknown",
      code: safe ? null : "interrupted",
      providerMessageId: null,
      nextAttemptAt: null,
      event: safe ? "released" : "unknown",
    })),
  });
}

type Claim = {
  recipients: ClaimedRecipient[];
  slots: number[];
  blockedUntil: Date | null;
  /** Nothing due was left in the batch after this claim: no need to claim again. */
  drained: boolean;
};

/** What this attempt of the job marks its claims with (see `findOrphanedClaims`). */
const claimedBy = (ctx: Context) => `${ctx.jobId}:${ctx.retryCount}`;

async function claimRound(tx: Tx, ctx: Context): Promise<Claim> {
  const limit = chunkSize(ctx.bot);
  const { recipients, drained } = await claimRecipients(tx, {
    workspaceId: ctx.workspaceId,
    campaignId: ctx.campaignId,
    batch: ctx.batch,
    limit,
    cooloffDays: ctx.cooloffDays,
    claimedBy: claimedBy(ctx),
  });
  if (!ctx.adapter) {
    await handOver(tx, ctx, recipients);
    return { recipients: [], slots: [], blockedUntil: null, drained };
  }
  const reservation = await reserveSlots({
    tx,
    workspaceId: ctx.workspaceId,
    bot: ctx.bot,
    count: recipients.length,
    timeZone: ctx.timeZone,
  });
  const kept = recipients.slice(0, reservation.slots.length);
  const returned = recipients.slice(reservation.slots.length);
  if (returned.length) {
    // Over the daily cap or in quiet hours: these go back untouched for a later round.
    await settleRecipients(tx, {
      workspaceId: ctx.workspaceId,
      campaignId: ctx.campaignId,
      outcomes: returned.map((r) => ({
        id: r.id,
        status: "queued",
        code: null,
        providerMessageId: null,
        nextAttemptAt: reservation.blockedUntil,
        event: "released",
      })),
    });
    await tx.execute(sql`update campaign_recipient set attempts = attempts - 1
      where workspace_id = ${ctx.workspaceId} and campaign_id = ${ctx.campaignId}
        and id = any(${sql.param(returned.map((r) => r.id))}::uuid[]) and attempts > 0`);
  }
  return {
    recipients: kept,
    slots: reservation.slots,
    blockedUntil: reservation.blockedUntil,
    drained,
  };
}

/** An agent bot's claim: rendered messages become tasks; unrenderable ones fail here. */
async function handOver(tx: Tx, ctx: Context, recipients: ClaimedRecipient[]) {
  const sends: Parameters<typeof handOverToAgents>[1]["sends"] = [];
  const unresolved: Outcome[] = [];
  for (const r of recipients) {
    const message = messageFor(ctx, r);
    if ("missing" in message) {
      unresolved.push({
        id: r.id,
        status: "failed",
        code: "unresolved_variable",
        providerMessageId: null,
        nextAttemptAt: null,
        event: "failed",
      });
    } else if (message.template) {
      sends.push({ recipientId: r.id, to: r.phone, template: message.template });
    } else {
      sends.push({ recipientId: r.id, to: r.phone, text: message.text! });
    }
  }
  await settleRecipients(tx, {
    workspaceId: ctx.workspaceId,
    campaignId: ctx.campaignId,
    outcomes: unresolved,
  });
  await handOverToAgents(tx, {
    workspaceId: ctx.workspaceId,
    campaignId: ctx.campaignId,
    botId: ctx.botId,
    sends,
  });
}

type Sent = {
  outcome: Outcome;
  effect: SideEffect | null;
  receipts: (SendResult & { outcome: "sent" }) | null;
};

/** A claimed recipient the provider was never asked about: its attempt is given back. */
function unsent(
  id: string,
  status: Outcome["status"],
  event: string,
  code: string | null = null,
): Sent {
  return {
    outcome: {
      id,
      status,
      code,
      providerMessageId: null,
      nextAttemptAt: null,
      event,
      refundAttempt: true,
    },
    effect: null,
    receipts: null,
  };
}

/** Bots this process has made a paced send through (its later sends run warm). */
const warmBots = new Set<string>();

/** How much later than its admission a process's first send through a bot may leave. */
function coldMarginMs(ctx: Context): number {
  return warmBots.has(ctx.botId) ? 0 : Math.min(250, emissionIntervalMs(ctx.bot));
}

/**
 * The last guard of a per-second rate: waits until the bot's sends of the last second leave
 * room (a late timer would otherwise put two slots' sends in one second). Says whether the
 * campaign was canceled or stopped otherwise (paused, job aborting) while waiting.
 */
async function admitPacedSend(
  ctx: Context,
): Promise<{ departure: Departure | null } | "canceled" | "stopped"> {
  const limit = perSecondLimit(ctx.bot);
  if (limit === null) return { departure: null };
  const coldMs = coldMarginMs(ctx);
  for (;;) {
    const answer = await withTenant({ workspaceId: ctx.workspaceId }, (tx) =>
      admitSend(tx, ctx.workspaceId, ctx.botId, limit, coldMs),
    );
    if (answer.admitted) {
      // Admitted for a due time at most one interval ahead: the request goes right then.
      await sleepUntil(answer.dueAt, ctx.signal);
      if (ctx.signal.aborted) return "stopped";
      const startedAt = Date.now();
      return {
        departure: answer.stamp === null ? null : { stamp: answer.stamp, startedAt },
      };
    }
    await sleep(answer.waitMs, ctx.signal);
    const status = await campaignStatus(ctx.workspaceId, ctx.campaignId);
    if (status === "canceled") return "canceled";
    if (status !== "running" || ctx.signal.aborted) return "stopped";
  }
}

/**
 * An admitted paced send's stamp, and when its request started (local epoch ms, after the
 * wait for its due time).
 */
type Departure = { stamp: string; startedAt: number };

/** Moves the send's pacing stamp to its answer (see `recordDeparture`); a failure only costs precision. */
async function departed(ctx: Context, { stamp, startedAt }: Departure, answeredAt: number) {
  try {
    await withTenant({ workspaceId: ctx.workspaceId }, (tx) =>
      recordDeparture(tx, ctx.workspaceId, ctx.botId, { stamp, startedAt, answeredAt }),
    );
  } catch (err) {
    logger.warn({ err: (err as Error).message, botId: ctx.botId }, "pacing departure not recorded");
  }
}

async function sendOne(
  ctx: Context,
  r: ClaimedRecipient,
  slot: number,
  gate: RoundGate,
): Promise<Sent> {
  const idle = (status: Outcome["status"], event: string) => unsent(r.id, status, event);
  await sleep(slot - Date.now(), ctx.signal);
  const status = await campaignStatus(ctx.workspaceId, ctx.campaignId);
  if (status === "canceled") return idle("canceled", "canceled");
  if (status !== "running" || ctx.signal.aborted) return idle("queued", "released");
  // The bot stopped, or the person opted out since the claim. Looked at before admission: a
  // paced send's cycle runs from its admission to its answer, and this is no part of it.
  const gated = await gate(r.phone);
  if (gated === "bot_stopped") return idle("queued", "released");
  if (gated === "opted_out") return unsent(r.id, "canceled", "canceled", "opted_out");
  // Rendered before admission: the admission's stamp is as close as it can be to the request.
  const message = messageFor(ctx, r);
  if ("missing" in message) {
    return {
      outcome: {
        id: r.id,
        status: "failed",
        code: "unresolved_variable",
        providerMessageId: null,
        nextAttemptAt: null,
        event: "failed",
      },
      effect: null,
      receipts: null,
    };
  }
  const admission = await admitPacedSend(ctx);
  if (admission === "canceled") return idle("canceled", "canceled");
  if (admission === "stopped") return idle("queued", "released");
  let result: SendResult;
  try {
    result = await ctx.adapter!.send(message, {
      botId: ctx.botId,
      config: ctx.bot.config,
      credentials: ctx.bot.secrets,
      signal: ctx.signal,
    });
  } catch (err) {
    logger.warn(
      { err: (err as Error).message, recipientId: r.id },
      "adapter threw; retrying later",
    );
    result = { outcome: "retry", code: "adapter_error" };
  }
  if (admission.departure) await departed(ctx, admission.departure, Date.now());
  warmBots.add(ctx.botId);
  const { outcome, effect } = outcomeOf(r.id, r.attempts, result, {
    resendIsSafe: ctx.adapter!.resendIsSafe,
  });
  return { outcome, effect, receipts: result.outcome === "sent" ? result : null };
}

async function applyEffects(tx: Tx, ctx: Context, effects: SideEffect[]) {
  for (const e of effects) {
    if (e.kind === "pause_campaign")
      await pauseForReason(tx, ctx.workspaceId, ctx.campaignId, e.code);
    else
      await setBotStatus({
        tx,
        workspaceId: ctx.workspaceId,
        actorUserId: null,
        meta: null,
        id: ctx.botId,
        status: e.kind === "pause_bot" ? "paused" : "disabled",
        reason: e.code,
      });
  }
}

async function settleRound(ctx: Context, results: Sent[]) {
  const effects = results.map((r) => r.effect).filter((e): e is SideEffect => e !== null);
  const spiked = await withTenant({ workspaceId: ctx.workspaceId }, async (tx) => {
    let spike = false;
    const { failed } = await settleRecipients(tx, {
      workspaceId: ctx.workspaceId,
      campaignId: ctx.campaignId,
      outcomes: results.map((r) => r.outcome),
    });
    const unsent = results.filter(
      (r) => r.outcome.status !== "sent" && r.outcome.event !== "failed",
    ).length;
    if (unsent && isPaced(ctx.bot)) await releaseDailySlots(tx, ctx.workspaceId, ctx.botId, unsent);
    await applyEffects(tx, ctx, effects);
    if (failed > 0) {
      const rate = await recentFailureRate(
        tx,
        ctx.workspaceId,
        ctx.campaignId,
        ctx.campaign.failureWindow,
      );
      if (rate !== null && rate * 100 > ctx.campaign.failureRate) {
        await pauseForReason(tx, ctx.workspaceId, ctx.campaignId, "failure_spike");
        spike = true;
      }
    }
    return spike;
  });
  announceProgress([ctx.campaignId]);
  if (spiked || effects.length || results.some((r) => r.outcome.event === "released"))
    forgetCampaignStatus(ctx.campaignId);
  await queueReceipts(ctx, results);
  return effects;
}

async function queueReceipts(ctx: Context, results: Sent[]) {
  const byDelay = new Map<
    string,
    { status: "delivered" | "read"; afterMs: number; ids: string[] }
  >();
  for (const r of results) {
    for (const receipt of r.receipts?.receipts ?? []) {
      const key = `${receipt.status}:${receipt.afterMs}`;
      const entry = byDelay.get(key) ?? { ...receipt, ids: [] };
      entry.ids.push(r.outcome.id);
      byDelay.set(key, entry);
    }
  }
  if (byDelay.size === 0) return;
  await enqueueMany(
    applySandboxReceipts,
    [...byDelay.values()].map((e) => ({
      workspaceId: ctx.workspaceId,
      status: e.status,
      recipientIds: e.ids,
    })),
  ).catch((err) => logger.warn({ err: (err as Error).message }, "sandbox receipts not queued"));
}

export async function runSendBatch(job: BatchJob) {
  // One transaction reads the campaign, bot and workspace, resolves what a dead attempt of
  // this job left `sending`, and makes the first claim.
  const start = await withTenant({ workspaceId: job.workspaceId }, async (tx) => {
    const ctx = await load(tx, job);
    if (!ctx) return null;
    if (job.retryCount > 0) await recoverOrphans(tx, ctx);
    return { ctx, claim: await claimRound(tx, ctx) };
  });
  if (!start) return { sent: 0, reason: "not running" };
  const { ctx } = start;
  if (ctx.adapter && isPaced(ctx.bot)) await warmHttpClient();
  // load() just read `running` from the database; a status this process cached before a
  // resume (up to 250 ms old) must not stop the job the resume queued.
  forgetCampaignStatus(ctx.campaignId);
  let claim = start.claim;
  let sent = 0;
  for (;;) {
    if (claim.recipients.length === 0 && claim.drained) break;
    // One call at a time per job: the bot's concurrency is the number of its jobs pg-boss
    // lets run at once (group concurrency), i.e. its provider calls in flight, cluster-wide.
    const results: Sent[] = [];
    const gate = roundGate({
      workspaceId: ctx.workspaceId,
      campaignId: ctx.campaignId,
      botId: ctx.botId,
      claimedBy: claimedBy(ctx),
      phones: claim.recipients.map((r) => r.phone),
    });
    for (const [i, r] of claim.recipients.entries()) {
      // After a stop signal (spam limit, blocked account, endpoint gone) nothing more goes
      // out: the rest of the round goes back to the queue untouched.
      if (results.some((x) => x.effect)) results.push(unsent(r.id, "queued", "released"));
      else results.push(await sendOne(ctx, r, claim.slots[i]!, gate));
    }
    sent += results.filter((r) => r.outcome.status === "sent").length;
    const effects = await settleRound(ctx, results);
    if (effects.some((e) => e.kind !== "pause_campaign")) break; // the bot stopped
    if (claim.blockedUntil || claim.drained) break;
    if ((await campaignStatus(ctx.workspaceId, ctx.campaignId)) !== "running" || ctx.signal.aborted)
      break;
    if ((await gate("")) === "bot_stopped") break; // paused, disabled or deleted meanwhile
    claim = await withTenant({ workspaceId: ctx.workspaceId }, (tx) => claimRound(tx, ctx));
  }
  await afterBatch(ctx);
  return { sent };
}

/** Re-queues the batch for its retries (or for tomorrow's cap), or completes the campaign. */
async function afterBatch(ctx: Context) {
  const { pending, nextAt, done, running } = await withTenant(
    { workspaceId: ctx.workspaceId },
    async (tx) => {
      const left = await nextPendingInBatch(tx, ctx);
      const finished =
        left.pending === 0 ? await completeIfDone(tx, ctx.workspaceId, ctx.campaignId) : false;
      if (finished) await notifyCampaign(tx, ctx.campaignId);
      // Read fresh, not from the cache: a stale `paused` here would drop the batch for good.
      const { status } = await requireCampaign(tx, ctx.workspaceId, ctx.campaignId);
      return { ...left, done: finished, running: status === "running" };
    },
  );
  if (done || pending === 0 || !running) return;
  const [bot] = await withTenant({ workspaceId: ctx.workspaceId }, (tx) =>
    loadSenderBots(tx, ctx.workspaceId, [ctx.botId]),
  );
  if (!bot || bot.status !== "active") return;
  const startAfter = new Date(Math.max(Date.now() + 1000, nextAt?.getTime() ?? 0));
  await enqueue(
    sendCampaignBatch,
    {
      workspaceId: ctx.workspaceId,
      campaignId: ctx.campaignId,
      botId: ctx.botId,
      batch: ctx.batch,
      concurrency: ctx.concurrency,
    },
    { startAfter },
  );
}
