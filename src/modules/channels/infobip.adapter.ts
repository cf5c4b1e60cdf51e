import type { ChannelAdapter, OutboundMessage, SendResult } from "./channel.types";
import { infobipConfigSchema, infobipCredentialsSchema } from "./channel-config.schema";
import {
  discardBody,
  internationalDigits,
  isRecord,
  parseRetryAfter,
  postJson,
  readJson,
  type HttpOptions,
} from "./http-send";
import { cachedParser } from "./parse-settings";

/**
 * Infobip's WhatsApp API (`/whatsapp/1/message/text` and `/template`) on the account's own
 * base URL. Our recipient id goes out as Infobip's `messageId`, which makes a resend after a
 * crash idempotent and lets delivery reports name the recipient directly.
 *
 * A 2xx answer carries a status: PENDING/ACCEPTED means taken; REJECTED (or UNDELIVERABLE /
 * EXPIRED) fails the recipient — except an empty balance, which stops the sender.
 */

const REFUSED_GROUPS = new Set(["REJECTED", "UNDELIVERABLE", "EXPIRED"]);
const SENDER_STOPPERS = new Set(["REJECTED_NOT_ENOUGH_CREDITS"]);

type InfobipMessageInfo = {
  messageId?: unknown;
  status?: { groupName?: unknown; name?: unknown };
};

function requestFor(
  message: OutboundMessage,
  sender: string,
): { path: string; body: unknown } | null {
  const envelope = {
    from: sender,
    to: internationalDigits(message.to),
    messageId: message.recipientId,
  };
  if (message.template) {
    const { name, language, params } = message.template;
    return {
      path: "/whatsapp/1/message/template",
      body: {
        messages: [
          {
            ...envelope,
            content: {
              templateName: name,
              templateData: { body: { placeholders: params } },
              language,
            },
          },
        ],
      },
    };
  }
  if (message.text !== undefined) {
    return {
      path: "/whatsapp/1/message/text",
      body: { ...envelope, content: { text: message.text } },
    };
  }
  return null;
}

/** The per-message info: the text endpoint answers it bare, the template one in `messages`. */
function messageInfo(json: unknown): InfobipMessageInfo | null {
  if (!isRecord(json)) return null;
  if (Array.isArray(json.messages)) {
    const first: unknown = json.messages[0];
    return isRecord(first) ? first : null;
  }
  return json;
}

function classifySuccess(json: unknown, recipientId: string): SendResult {
  const info = messageInfo(json);
  const group = typeof info?.status?.groupName === "string" ? info.status.groupName : "";
  const name = typeof info?.status?.name === "string" ? info.status.name : group;
  if (REFUSED_GROUPS.has(group)) {
    const code = `ib_${(name || group).toLowerCase()}`;
    return SENDER_STOPPERS.has(name) ? { outcome: "pause_bot", code } : { outcome: "failed", code };
  }
  const id = typeof info?.messageId === "string" && info.messageId ? info.messageId : recipientId;
  return { outcome: "sent", providerMessageId: id };
}

function classifyStatus(response: Response): SendResult {
  const { status } = response;
  const code = `http_${status}`;
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    return retryAfterMs === undefined
      ? { outcome: "retry", code }
      : { outcome: "retry", code, retryAfterMs };
  }
  // Bad key, disabled account, or a base URL that redirects: nothing this bot sends can work.
  if (status === 401 || status === 403 || (status >= 300 && status < 400)) {
    return { outcome: "pause_bot", code };
  }
  return { outcome: "failed", code };
}

const parseConfig = cachedParser(infobipConfigSchema);
const parseCredentials = cachedParser(infobipCredentialsSchema);

export function createInfobipAdapter(options: HttpOptions = {}): ChannelAdapter {
  return {
    kind: "infobip",
    resendIsSafe: true,
    async send(message, ctx): Promise<SendResult> {
      const config = parseConfig(ctx.config);
      const credentials = parseCredentials(ctx.credentials);
      if (!config || !credentials) return { outcome: "pause_bot", code: "config_invalid" };
      const request = requestFor(message, config.sender);
      if (!request) return { outcome: "failed", code: "empty_message" };

      const posted = await postJson(
        `${config.baseUrl}${request.path}`,
        JSON.stringify(request.body),
        { authorization: `App ${credentials.apiKey}` },
        ctx.signal,
        options,
      );
      if ("result" in posted) return posted.result;
      const { response } = posted;
      if (response.ok) return classifySuccess(await readJson(response), message.recipientId);
      await discardBody(response);
      return classifyStatus(response);
    },
  };
}

export const infobipAdapter = createInfobipAdapter();
