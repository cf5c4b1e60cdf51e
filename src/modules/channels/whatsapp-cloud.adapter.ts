import type { ChannelAdapter, OutboundMessage, SendResult } from "./channel.types";
import { whatsappCloudConfigSchema, whatsappCloudCredentialsSchema } from "./channel-config.schema";
import {
  internationalDigits,
  isRecord,
  parseRetryAfter,
  postJson,
  readJson,
  type HttpOptions,
} from "./http-send";
import { cachedParser } from "./parse-settings";

/**
 * Meta's WhatsApp Cloud API: `POST /{version}/{phone-number-id}/messages`. Meta does not
 * dedupe, so a resend after a crash could reach the person twice (`resendIsSafe: false`);
 * `biz_opaque_callback_data` carries our recipient id back in status webhooks instead.
 */

export const DEFAULT_GRAPH_URL = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v21.0";

type Outcome = Exclude<SendResult["outcome"], "sent">;

/**
 * Graph error codes by meaning (Meta advises branching on `code`, not on HTTP status).
 * Anything not listed fails this recipient only, unless the HTTP status says the failure is
 * transient (5xx, 429).
 */
const GRAPH_CODE_OUTCOMES = new Map<number, Outcome>([
  // Throughput, pair rate limit, transient API/service errors: back off and try again.
  [130429, "retry"],
  [131056, "retry"],
  [1, "retry"],
  [2, "retry"],
  [4, "retry"],
  [131000, "retry"],
  [131016, "retry"],
  [133004, "retry"],
  // Spam rate limit: people are blocking or reporting this campaign.
  [131048, "pause_campaign"],
  // The template itself is unusable (missing, paused, disabled, wrong parameters): every
  // recipient of the campaign would fail the same way.
  [132000, "pause_campaign"],
  [132001, "pause_campaign"],
  [132012, "pause_campaign"],
  [132015, "pause_campaign"],
  [132016, "pause_campaign"],
  // The sender cannot send at all: policy block, locked account, WABA rate limit, token or
  // permission problems, payment or registration issues, a deleted business number.
  [368, "pause_bot"],
  [131031, "pause_bot"],
  [80007, "pause_bot"],
  [0, "pause_bot"],
  [3, "pause_bot"],
  [10, "pause_bot"],
  [190, "pause_bot"],
  [131005, "pause_bot"],
  [131042, "pause_bot"],
  [131045, "pause_bot"],
  [133010, "pause_bot"],
  [33, "pause_bot"],
  // This person: outside the 24-hour window, undeliverable / not on WhatsApp.
  [131047, "failed"],
  [131026, "failed"],
]);

// Graph's "object does not exist" subcode: with code 100 it means the phone number id is wrong.
const UNKNOWN_OBJECT_SUBCODE = 33;

function graphCodeOutcome(code: number, subcode: number | null): Outcome | undefined {
  // 200–299: API permission errors.
  if (code >= 200 && code <= 299) return "pause_bot";
  if (code === 100 && subcode === UNKNOWN_OBJECT_SUBCODE) return "pause_bot";
  return GRAPH_CODE_OUTCOMES.get(code);
}

/** Classifies a Graph API error answer; exported so the table can be tested directly. */
export function classifyGraphError(
  httpStatus: number,
  body: unknown,
  retryAfterMs?: number,
): SendResult {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const graphCode = error && typeof error.code === "number" ? error.code : null;
  const subcode = error && typeof error.error_subcode === "number" ? error.error_subcode : null;
  const code = graphCode === null ? `http_${httpStatus}` : `wa_${graphCode}`;
  const transient = httpStatus >= 500 || httpStatus === 429;
  const outcome: Outcome =
    (graphCode === null ? undefined : graphCodeOutcome(graphCode, subcode)) ??
    (transient
      ? "retry"
      : graphCode === null && (httpStatus === 401 || httpStatus === 403)
        ? "pause_bot"
        : "failed");
  if (outcome === "retry") {
    return retryAfterMs === undefined ? { outcome, code } : { outcome, code, retryAfterMs };
  }
  return { outcome, code };
}

function requestBody(message: OutboundMessage): Record<string, unknown> | null {
  const common = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: internationalDigits(message.to),
    biz_opaque_callback_data: message.recipientId,
  };
  if (message.template) {
    const { name, language, params } = message.template;
    return {
      ...common,
      type: "template",
      template: {
        name,
        language: { code: language },
        // Meta rejects a body component with no parameters: a template without variables
        // goes out without components.
        ...(params.length > 0 && {
          components: [
            { type: "body", parameters: params.map((text) => ({ type: "text", text })) },
          ],
        }),
      },
    };
  }
  if (message.text !== undefined) {
    return { ...common, type: "text", text: { preview_url: false, body: message.text } };
  }
  return null;
}

const parseConfig = cachedParser(whatsappCloudConfigSchema);
const parseCredentials = cachedParser(whatsappCloudCredentialsSchema);

export function createWhatsappCloudAdapter(options: HttpOptions = {}): ChannelAdapter {
  return {
    kind: "whatsapp_cloud",
    resendIsSafe: false,
    async send(message, ctx): Promise<SendResult> {
      const config = parseConfig(ctx.config);
      const credentials = parseCredentials(ctx.credentials);
      if (!config || !credentials) return { outcome: "pause_bot", code: "config_invalid" };
      const body = requestBody(message);
      if (!body) return { outcome: "failed", code: "empty_message" };

      const base = config.baseUrl ?? DEFAULT_GRAPH_URL;
      const version = config.apiVersion ?? DEFAULT_GRAPH_VERSION;
      const posted = await postJson(
        `${base}/${version}/${config.phoneNumberId}/messages`,
        JSON.stringify(body),
        { authorization: `Bearer ${credentials.accessToken}` },
        ctx.signal,
        options,
      );
      if ("result" in posted) return posted.result;
      const { response } = posted;
      const json = await readJson(response);

      if (response.ok) {
        const first = isRecord(json) && Array.isArray(json.messages) ? json.messages[0] : null;
        const id = isRecord(first) && typeof first.id === "string" ? first.id : null;
        // A 2xx means Meta took the message; without an id, status webhooks still find the
        // recipient through biz_opaque_callback_data.
        return { outcome: "sent", providerMessageId: id ?? `wa_${message.recipientId}` };
      }
      return classifyGraphError(
        response.status,
        json,
        parseRetryAfter(response.headers.get("retry-after")),
      );
    },
  };
}

export const whatsappCloudAdapter = createWhatsappCloudAdapter();
