/**
 * What can stop a claimed send between its claim and its provider call besides its campaign's
 * status (`campaign-status-cache`): its bot paused, disabled or deleted, or its phone opted out
 * after the claim. A round reads both at most every `TTL_MS` (the bot's status and which of
 * the round's phones are suppressed, two indexed lookups), so either takes effect within a
 * fraction of a second without a query per message. A round that lasts (a slow provider)
 * marks its claims live every minute, so the maintenance sweep never takes them for a dead
 * job's.
 */
import { botStatusOf } from "@/modules/bots/bots.service";
import { withTenant } from "@/server/db/tenant";
import { touchClaims } from "./send.queries";
import { findSuppressions } from "./suppressions.queries";

const TTL_MS = 250;
const TOUCH_EVERY_MS = 60_000;

export type GateAnswer = "send" | "bot_stopped" | "opted_out";

type State = { botActive: boolean; suppressed: Set<string> };

type Round = {
  workspaceId: string;
  campaignId: string;
  botId: string;
  /** The claim's `claimed_by`. */
  claimedBy: string;
  phones: string[];
};

/** The gate of one round of claimed recipients (their phones) of a bot. */
export function roundGate({ workspaceId, campaignId, botId, claimedBy, phones }: Round) {
  let readAt = 0;
  let touchedAt = Date.now(); // the claim itself
  const read = () =>
    withTenant({ workspaceId }, async (tx) => {
      if (Date.now() - touchedAt >= TOUCH_EVERY_MS) {
        touchedAt = Date.now();
        await touchClaims(tx, { workspaceId, campaignId, claimedBy });
      }
      const status = await botStatusOf({ tx, workspaceId, id: botId });
      const suppressed = await findSuppressions(tx, workspaceId, phones);
      return {
        botActive: status === "active",
        suppressed: new Set(suppressed.map((s) => s.phone)),
      };
    });
  // The round's first look waits for its read; later ones answer from the last read while
  // the next is under way (a send never waits on it), so an answer is at most a read old.
  let last: State | null = null;
  let pending: Promise<State> | null = null;
  const refresh = () => {
    readAt = Date.now();
    pending = read()
      .then((s) => (last = s))
      .finally(() => (pending = null));
    return pending;
  };
  return async (phone: string): Promise<GateAnswer> => {
    if (!last) await (pending ?? refresh());
    // A failed refresh keeps the last answer; the next look after TTL_MS tries again.
    else if (!pending && Date.now() - readAt >= TTL_MS) refresh().catch(() => undefined);
    const { botActive, suppressed } = last!;
    if (!botActive) return "bot_stopped";
    return suppressed.has(phone) ? "opted_out" : "send";
  };
}

export type RoundGate = ReturnType<typeof roundGate>;
