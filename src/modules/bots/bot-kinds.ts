/** Kinds a campaign can send through (agents join with the bot-orchestration work). */
export const BOT_KINDS_SENDING = ["sandbox", "webhook", "whatsapp_cloud", "infobip"] as const;

/** Every kind a bot can be created as: the senders, and agents that pull tasks. */
export const BOT_KINDS = [...BOT_KINDS_SENDING, "agent"] as const;
