import type { BotKind, ChannelAdapter } from "./channel.types";
import { infobipAdapter } from "./infobip.adapter";
import { sandboxAdapter } from "./sandbox.adapter";
import { webhookAdapter } from "./webhook.adapter";
import { whatsappCloudAdapter } from "./whatsapp-cloud.adapter";

/**
 * The adapter for each kind the server sends through. `agent` has none on purpose: agents
 * pull their tasks over the API, so a send job for an agent bot is a pipeline bug. Asking
 * for one throws rather than returning a stand-in that would retry forever and hide it.
 */

export type ServerSentKind = Exclude<BotKind, "agent">;

const adapters: Record<ServerSentKind, ChannelAdapter> = {
  sandbox: sandboxAdapter,
  webhook: webhookAdapter,
  whatsapp_cloud: whatsappCloudAdapter,
  infobip: infobipAdapter,
};

export class NoServerAdapterError extends Error {
  constructor(kind: string) {
    super(
      kind === "agent"
        ? "Agent bots are not sent by the server: their agents pull tasks over the bot API"
        : `Unknown bot kind "${kind}"`,
    );
    this.name = "NoServerAdapterError";
  }
}

/** True when the server itself calls the provider for this kind (everything but agents). */
export function isServerSentKind(kind: BotKind): kind is ServerSentKind {
  return Object.hasOwn(adapters, kind);
}

/** The adapter for a kind; throws `NoServerAdapterError` for `agent` (see above). */
export function getAdapter(kind: BotKind): ChannelAdapter {
  if (!isServerSentKind(kind)) throw new NoServerAdapterError(kind);
  return adapters[kind];
}
