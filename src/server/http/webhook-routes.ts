/**
 * Provider webhooks on the fast lane (docs/webhooks.md). Handlers only translate HTTP: the
 * checks and the writes live in modules/channels/inbound, which answer with AppErrors.
 */
import type { IncomingMessage } from "node:http";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { receiveInfobipWebhook } from "@/modules/channels/inbound/infobip-inbound.service";
import {
  receiveWhatsappWebhook,
  verifyWhatsappSubscription,
} from "@/modules/channels/inbound/whatsapp-inbound.service";
import { readRawBody } from "./body";
import type { FastLaneRoute } from "./fast-lane";
import { sendJson, sendText } from "./respond";
import { writeErrorResponse } from "./route-errors";

/** Meta documents webhook bodies of up to 3 MB; Infobip's reports are far smaller. */
export const WHATSAPP_BODY_LIMIT = 3 * 1024 * 1024;
export const INFOBIP_BODY_LIMIT = 1024 * 1024;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function webhookRoutes(): FastLaneRoute[] {
  return [
    {
      method: "GET",
      path: "/api/webhooks/whatsapp",
      rateLimit: "handshake",
      handler: async ({ res, url }) => {
        const challenge = await verifyWhatsappSubscription({
          mode: url.searchParams.get("hub.mode"),
          verifyToken: url.searchParams.get("hub.verify_token"),
          challenge: url.searchParams.get("hub.challenge"),
        });
        sendText(res, 200, challenge);
      },
    },
    {
      method: "POST",
      path: "/api/webhooks/whatsapp",
      rateLimit: "webhooks",
      handler: async ({ req, res, requestId }) => {
        const rawBody = await readRawBody(req, { maxBytes: WHATSAPP_BODY_LIMIT });
        const summary = await receiveWhatsappWebhook({
          rawBody,
          signature: header(req, "x-hub-signature-256"),
        });
        logger.debug({ requestId, provider: "whatsapp_cloud", ...summary }, "webhook applied");
        sendJson(res, 200, { received: true });
      },
    },
    {
      method: "POST",
      path: "/api/webhooks/infobip/:botId",
      rateLimit: "webhooks",
      handler: async ({ req, res, url, params, requestId }) => {
        try {
          const rawBody = await readRawBody(req, { maxBytes: INFOBIP_BODY_LIMIT });
          const summary = await receiveInfobipWebhook({
            botId: params.botId!,
            token: url.searchParams.get("token"),
            authorization: header(req, "authorization"),
            rawBody,
          });
          logger.debug({ requestId, provider: "infobip", ...summary }, "webhook applied");
          sendJson(res, 200, { received: true });
        } catch (err) {
          const challenge =
            err instanceof AppError && err.code === "UNAUTHORIZED"
              ? { "www-authenticate": 'Basic realm="salestrack-webhooks", charset="UTF-8"' }
              : undefined;
          writeErrorResponse(res, err, requestId, challenge);
        }
      },
    },
  ];
}
