import { z } from "zod";
import { errorKey } from "@/lib/error-ref";
import { AppError, formatIssues } from "@/lib/errors";
import type { BotKind, ChannelConfig, ChannelCredentials } from "./channel.types";

/**
 * What each bot kind needs in `config` (stored as JSON) and `credentials` (encrypted), checked
 * when a bot is saved. Adapters read the same schemas at send time, so a bot saved before a
 * rule existed fails loudly (`config_invalid`) instead of calling a provider with garbage.
 *
 * URLs must be http(s) but may point anywhere, loopback included: tests and self-hosted
 * receivers (n8n on the same box) live there.
 */

const httpUrl = z
  .url({ protocol: /^https?$/, error: errorKey("bot.urlScheme") })
  .transform((u) => u.replace(/\/+$/, ""));

// Infobip's portal shows the account's base URL without a scheme ("xyz.api.infobip.com").
const infobipBaseUrl = z.preprocess(
  (v) =>
    typeof v === "string" && v.trim() && !/^[a-z][a-z0-9+.-]*:/i.test(v.trim())
      ? `https://${v.trim()}`
      : v,
  httpUrl,
);

const delayMs = z.number().int().min(0).max(86_400_000);

export const sandboxConfigSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    failureRate: z.number().min(0).max(1).default(0),
    deliveredAfterMs: delayMs.nullable().default(2000),
    readAfterMs: delayMs.nullable().default(5000),
  })
  .refine((c) => c.readAfterMs === null || c.deliveredAfterMs !== null, {
    path: ["readAfterMs"],
    message: errorKey("bot.readNeedsDelivered"),
  })
  .refine(
    (c) =>
      c.readAfterMs === null || c.deliveredAfterMs === null || c.readAfterMs >= c.deliveredAfterMs,
    { path: ["readAfterMs"], message: errorKey("bot.readBeforeDelivered") },
  );

export const webhookConfigSchema = z.object({ url: httpUrl });

export const whatsappCloudConfigSchema = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, errorKey("bot.phoneNumberIdFormat")),
  apiVersion: z
    .string()
    .trim()
    .regex(/^v\d+\.\d+$/, errorKey("bot.apiVersionFormat"))
    .optional(),
  baseUrl: httpUrl.optional(),
});

export const infobipConfigSchema = z.object({
  baseUrl: infobipBaseUrl,
  sender: z
    .string()
    .trim()
    .regex(/^\+?\d{6,15}$/, errorKey("bot.senderFormat"))
    .transform((v) => v.replace(/^\+/, "")),
});

export const agentConfigSchema = z.object({});

// Standard Webhooks secrets: "whsec_" + base64 of 24–64 random bytes.
const standardWebhookSecret = z
  .string()
  .trim()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, errorKey("bot.signingSecretFormat"))
  .refine((s) => {
    const bytes = Buffer.from(s.slice("whsec_".length), "base64").length;
    return bytes >= 24 && bytes <= 64;
  }, errorKey("bot.signingSecretLength"));

export const sandboxCredentialsSchema = z.object({});

export const webhookCredentialsSchema = z.object({
  signingSecret: standardWebhookSecret,
  /** During a rotation's overlap every request is signed with both secrets. */
  previousSigningSecret: standardWebhookSecret.optional(),
});

export const whatsappCloudCredentialsSchema = z.object({
  accessToken: z.string().trim().min(1, errorKey("zod.required")),
  /**
   * Inbound webhooks (docs/webhooks.md): the Meta app's secret, which signs every POST
   * (X-Hub-Signature-256), and the verify token typed into Meta's dashboard for the GET
   * handshake. Optional: a bot without them sends but receives no receipts or replies.
   */
  appSecret: z.string().trim().min(16, errorKey("bot.appSecretFormat")).max(256).optional(),
  verifyToken: z.string().trim().min(8).max(256).optional(),
});

// Infobip sends it back in the webhook URL's query string, so it must need no encoding.
const webhookPathToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{24,128}$/, errorKey("bot.webhookTokenFormat"));

export const infobipCredentialsSchema = z
  .object({
    apiKey: z.string().trim().min(1, errorKey("zod.required")),
    /**
     * Inbound webhooks (docs/webhooks.md): a secret token in the URL plus HTTP Basic
     * credentials configured in Infobip's subscription. All three, or none (no webhooks).
     */
    webhookToken: webhookPathToken.optional(),
    webhookUsername: z.string().trim().min(1).max(255).optional(),
    webhookPassword: z.string().min(12).max(255).optional(),
  })
  .superRefine((c, ctx) => {
    const fields = ["webhookToken", "webhookUsername", "webhookPassword"] as const;
    if (fields.every((f) => c[f] === undefined)) return;
    for (const f of fields) {
      if (c[f] === undefined) {
        ctx.addIssue({ code: "custom", path: [f], message: errorKey("bot.requiredForInbound") });
      }
    }
  });

export const agentCredentialsSchema = z.object({});

export const channelSchemas = {
  sandbox: { config: sandboxConfigSchema, credentials: sandboxCredentialsSchema },
  webhook: { config: webhookConfigSchema, credentials: webhookCredentialsSchema },
  whatsapp_cloud: {
    config: whatsappCloudConfigSchema,
    credentials: whatsappCloudCredentialsSchema,
  },
  infobip: { config: infobipConfigSchema, credentials: infobipCredentialsSchema },
  agent: { config: agentConfigSchema, credentials: agentCredentialsSchema },
} as const satisfies Record<
  BotKind,
  { config: z.ZodType<ChannelConfig>; credentials: z.ZodType<ChannelCredentials> }
>;

/** A bot's kind with its settings, as one input (e.g. a create-bot form). */
export const channelSettingsSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sandbox"),
    config: sandboxConfigSchema,
    credentials: sandboxCredentialsSchema.default({}),
  }),
  z.object({
    kind: z.literal("webhook"),
    config: webhookConfigSchema,
    credentials: webhookCredentialsSchema,
  }),
  z.object({
    kind: z.literal("whatsapp_cloud"),
    config: whatsappCloudConfigSchema,
    credentials: whatsappCloudCredentialsSchema,
  }),
  z.object({
    kind: z.literal("infobip"),
    config: infobipConfigSchema,
    credentials: infobipCredentialsSchema,
  }),
  z.object({
    kind: z.literal("agent"),
    config: agentConfigSchema.default({}),
    credentials: agentCredentialsSchema.default({}),
  }),
]);

export type ChannelSettings = z.output<typeof channelSettingsSchema>;

/**
 * Validates a bot's settings for its kind; throws a BAD_REQUEST `AppError` whose field
 * errors are keyed `config.<field>` / `credentials.<field>` so a form can show them in place.
 */
export function parseChannelSettings(
  kind: BotKind,
  input: { config: unknown; credentials: unknown },
): { config: ChannelConfig; credentials: ChannelCredentials } {
  const parsed = channelSettingsSchema.safeParse({ kind, ...input });
  if (parsed.success) return { config: parsed.data.config, credentials: parsed.data.credentials };
  const { fieldErrors, formErrors } = formatIssues(parsed.error.issues);
  const form = formErrors[0];
  throw form
    ? new AppError("BAD_REQUEST", form.key, { params: form.params, fieldErrors })
    : new AppError("BAD_REQUEST", "bot.invalidSettings", { params: { kind }, fieldErrors });
}
