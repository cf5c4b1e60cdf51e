/**
 * The contract between the send pipeline (campaigns) and a provider adapter. An adapter
 * makes one provider call and classifies the answer; it never touches the database.
 */
export type BotKind = "sandbox" | "webhook" | "whatsapp_cloud" | "infobip" | "agent";

/** One personalised message for one recipient. `recipientId` is our idempotency key. */
export type OutboundMessage = {
  recipientId: string;
  campaignId: string;
  /** E.164, e.g. "+595981123456". */
  to: string;
  /** Rendered text (text templates). */
  text?: string;
  /** WhatsApp template (template messages): name, language code, ordered body parameters. */
  template?: { name: string; language: string; params: string[] };
};

/** Non-secret settings per kind, stored as JSON on the bot. */
export type ChannelConfig = {
  /** Provider base URL override (tests point it at a fake server on loopback). */
  baseUrl?: string;
  /** webhook: where each message is POSTed. */
  url?: string;
  /** whatsapp_cloud: Graph API version ("v21.0") and phone number id. */
  apiVersion?: string;
  phoneNumberId?: string;
  /** infobip: sender number. */
  sender?: string;
  /** sandbox: simulated provider behaviour. */
  latencyMs?: number;
  failureRate?: number;
  deliveredAfterMs?: number | null;
  readAfterMs?: number | null;
};

/** Secrets per kind, encrypted at rest (AES-256-GCM) and only decrypted to make a call. */
export type ChannelCredentials = {
  /** webhook: Standard Webhooks secret ("whsec_…"). */
  signingSecret?: string;
  /** webhook: the secret being rotated out; while set, requests carry both signatures. */
  previousSigningSecret?: string;
  /** whatsapp_cloud: bearer access token. */
  accessToken?: string;
  /** infobip: API key (sent as `Authorization: App <key>`). */
  apiKey?: string;
  /** whatsapp_cloud inbound: Meta app secret (X-Hub-Signature-256) and handshake verify token. */
  appSecret?: string;
  verifyToken?: string;
  /** infobip inbound: secret URL token and the HTTP Basic credentials Infobip presents. */
  webhookToken?: string;
  webhookUsername?: string;
  webhookPassword?: string;
};

/**
 * What happened, by meaning:
 * - `sent`: the provider accepted it (`providerMessageId` recorded).
 * - `retry`: transient (throttled, 429, 5xx, network): try again later with backoff.
 * - `failed`: permanent for this recipient (bad number, not on WhatsApp…): never retried.
 * - `pause_campaign`: the campaign must stop (e.g. WhatsApp 131048 spam rate limit).
 * - `pause_bot`: the sender must stop (account/quality problem: 368, 131031, 80007).
 * - `disable_bot`: the endpoint is gone for good (webhook answered 410).
 * `code` is a stable, short error code stored on the recipient (`wa_131047`, `http_503`…).
 */
/**
 * Retry codes of a request that was in flight when it ended (cut by the caller, or timed out):
 * the provider may have accepted the message. Retried only where `resendIsSafe`.
 */
export const AMBIGUOUS_CODES: ReadonlySet<string> = new Set(["interrupted", "timeout"]);

export type SendResult =
  | { outcome: "sent"; providerMessageId: string; receipts?: SimulatedReceipt[] }
  | { outcome: "retry"; code: string; retryAfterMs?: number }
  | { outcome: "failed"; code: string }
  | { outcome: "pause_campaign"; code: string }
  | { outcome: "pause_bot"; code: string }
  | { outcome: "disable_bot"; code: string };

/** Sandbox only: receipts the simulated provider will report after a delay. */
export type SimulatedReceipt = { status: "delivered" | "read"; afterMs: number };

export type SendContext = {
  botId: string;
  config: ChannelConfig;
  credentials: ChannelCredentials;
  signal?: AbortSignal;
};

export type ChannelAdapter = {
  kind: BotKind;
  /**
   * True when the provider de-duplicates on our recipient id (Infobip `messageId`, Standard
   * Webhooks `webhook-id`, sandbox): a recipient left `sending` by a crash may be sent again
   * safely. False (WhatsApp Cloud): such a recipient becomes `unknown` and waits for a status
   * webhook instead of being re-sent.
   */
  resendIsSafe: boolean;
  send(message: OutboundMessage, ctx: SendContext): Promise<SendResult>;
};
