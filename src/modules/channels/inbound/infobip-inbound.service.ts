/**
 * Infobip's WhatsApp webhooks (delivery reports, seen reports, inbound messages), one URL per
 * bot: `/api/webhooks/infobip/<botId>?token=<webhookToken>` with HTTP Basic credentials.
 */
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { findInfobipInboundBot } from "@/modules/bots/bots-routing.service";
import { parseInfobipPayload } from "./infobip-payload";
import { parseJsonBody } from "./payload-helpers";
import { recordInboundEvents, type InboundSummary } from "./record-events";
import { parseBasicAuth, safeEqual } from "./signatures";

// Compared against when the bot is unknown, so that case costs the same three comparisons
// as a wrong password: the answer and its timing do not say which check failed.
const NOTHING_MATCHES = {
  token: randomBytes(32).toString("hex"),
  username: randomBytes(32).toString("hex"),
  password: randomBytes(32).toString("hex"),
};

export async function receiveInfobipWebhook({
  botId,
  token,
  authorization,
  rawBody,
}: {
  botId: string;
  token: string | null;
  authorization: string | undefined;
  rawBody: Buffer;
}): Promise<InboundSummary> {
  const bot = await findInfobipInboundBot(botId);
  const expected = bot?.webhook ?? NOTHING_MATCHES;
  const presented = parseBasicAuth(authorization);
  const tokenOk = safeEqual(token ?? "", expected.token);
  const usernameOk = safeEqual(presented?.username ?? "", expected.username);
  const passwordOk = safeEqual(presented?.password ?? "", expected.password);
  if (!bot?.webhook || !tokenOk || !usernameOk || !passwordOk) {
    throw new AppError("UNAUTHORIZED", "webhook.unknownOrUnauthorized");
  }
  const events = parseInfobipPayload(parseJsonBody(rawBody));
  return recordInboundEvents({ workspaceId: bot.workspaceId, ...events });
}
