import { Webhook } from "standardwebhooks";
import type { ChannelAdapter, SendResult } from "./channel.types";
import { webhookConfigSchema, webhookCredentialsSchema } from "./channel-config.schema";
import {
  discardBody,
  isRecord,
  parseRetryAfter,
  postJson,
  readJson,
  type HttpOptions,
} from "./http-send";
import { cachedParser } from "./parse-settings";

/**
 * A generic signed webhook (n8n, Zapier, a home-grown script): each message is one POST,
 * signed per Standard Webhooks. `webhook-id` is the recipient id, so a receiver that dedupes
 * on it (as the spec asks) makes a resend after a crash harmless.
 *
 * Answers by meaning: 2xx sent; 410 the endpoint is gone (disable the bot); 401/403 the
 * receiver refuses our signature and 3xx the URL is wrong (pause the bot: every message
 * would fail the same way); 408/429/5xx and transport failures retry (Retry-After honoured);
 * other 4xx fail this recipient.
 */

export const WEBHOOK_EVENT_TYPE = "message.send";

const parseConfig = cachedParser(webhookConfigSchema);
const parseCredentials = cachedParser(webhookCredentialsSchema);

export function createWebhookAdapter(options: HttpOptions = {}): ChannelAdapter {
  return {
    kind: "webhook",
    resendIsSafe: true,
    async send(message, ctx): Promise<SendResult> {
      const config = parseConfig(ctx.config);
      const credentials = parseCredentials(ctx.credentials);
      if (!config || !credentials) return { outcome: "pause_bot", code: "config_invalid" };

      const now = new Date();
      const body = JSON.stringify({
        type: WEBHOOK_EVENT_TYPE,
        timestamp: now.toISOString(),
        data: {
          recipientId: message.recipientId,
          campaignId: message.campaignId,
          to: message.to,
          text: message.text ?? null,
          template: message.template ?? null,
        },
      });
      const signatures = [credentials.signingSecret, credentials.previousSigningSecret]
        .filter((s): s is string => Boolean(s))
        .map((secret) => new Webhook(secret).sign(message.recipientId, now, body));

      const posted = await postJson(
        config.url,
        body,
        {
          "webhook-id": message.recipientId,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          // Standard Webhooks: several signatures, space-separated, any one may verify.
          "webhook-signature": signatures.join(" "),
        },
        ctx.signal,
        options,
      );
      if ("result" in posted) return posted.result;
      const { response } = posted;

      if (response.ok) {
        const json = await readJson(response);
        const id = isRecord(json) && typeof json.id === "string" && json.id ? json.id : null;
        return { outcome: "sent", providerMessageId: id ?? `wh_${message.recipientId}` };
      }
      await discardBody(response);
      return classifyStatus(response);
    },
  };
}

function classifyStatus(response: Response): SendResult {
  const { status } = response;
  const code = `http_${status}`;
  if (status === 410) return { outcome: "disable_bot", code };
  if (status === 429 || status === 408 || status >= 500) {
    // 503s carry Retry-After as often as 429s do.
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    return retryAfterMs === undefined
      ? { outcome: "retry", code }
      : { outcome: "retry", code, retryAfterMs };
  }
  if (status === 401 || status === 403 || (status >= 300 && status < 400)) {
    return { outcome: "pause_bot", code };
  }
  return { outcome: "failed", code };
}

export const webhookAdapter = createWebhookAdapter();
