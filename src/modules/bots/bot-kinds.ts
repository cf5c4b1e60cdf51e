/** Kinds a campaign can send through (agents join with the bot-orchestration work). */
export const BOT_KINDS_SENDING = ["sandbox", "webhook", "whatsapp_cloud", "infobip"] as const;
