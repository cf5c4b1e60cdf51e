import {
  applyStatusUpdates,
  handleInboundMessages,
  type InboundMessage,
  type StatusUpdate,
} from "@/modules/campaigns/status-updates.service";

export type InboundSummary = {
  /** Receipts read from the body, and how many moved a recipient forward. */
  updates: number;
  changed: number;
  /** Replies read from the body, and how many opted their sender out. */
  messages: number;
  optedOut: number;
};

export const EMPTY_SUMMARY: InboundSummary = { updates: 0, changed: 0, messages: 0, optedOut: 0 };

/**
 * Hands one workspace's events to the campaigns service, inside that workspace. Replies go
 * first: an opt-out cancels queued sends, and the sooner the better. Both steps are
 * idempotent, so a provider retrying after a failure here changes nothing twice.
 */
export async function recordInboundEvents({
  workspaceId,
  updates,
  messages,
}: {
  workspaceId: string;
  updates: StatusUpdate[];
  messages: InboundMessage[];
}): Promise<InboundSummary> {
  const { optedOut } = await handleInboundMessages({ workspaceId, messages });
  const { changed } = await applyStatusUpdates({ workspaceId, updates });
  return { updates: updates.length, changed, messages: messages.length, optedOut };
}

export function addSummaries(a: InboundSummary, b: InboundSummary): InboundSummary {
  return {
    updates: a.updates + b.updates,
    changed: a.changed + b.changed,
    messages: a.messages + b.messages,
    optedOut: a.optedOut + b.optedOut,
  };
}
