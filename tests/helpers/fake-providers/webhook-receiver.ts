import { Webhook } from "standardwebhooks";
import {
  startFakeServer,
  type FakeProvider,
  type RouteRequest,
  type RouteResult,
} from "./fake-server";

/**
 * A Standard Webhooks receiver like a careful n8n flow or home-grown script: verifies the
 * signature and the 5-minute timestamp window with the `standardwebhooks` package, checks the
 * `message.send` payload, and answers 200 `{ id }`. It dedupes on `webhook-id` as the spec
 * asks: a repeated delivery gets the same id back (and `count(id)` shows the repeat).
 */

export type WebhookReceiverOptions = {
  /** Secrets it accepts ("whsec_…"); any one verifying is enough. */
  secrets: string[];
  /** Answer 2xx without a JSON id (the adapter then records `wh_<recipientId>`). */
  omitId?: boolean;
};

export type WebhookReceiver = FakeProvider & {
  /** Payloads accepted, deduped by webhook-id. */
  payloads(): WebhookPayload[];
};

export type WebhookPayload = {
  type: string;
  timestamp: string;
  data: {
    recipientId: string;
    campaignId: string;
    to: string;
    text: string | null;
    template: { name: string; language: string; params: string[] } | null;
  };
};

function header(req: RouteRequest, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

export async function startWebhookReceiver(
  options: WebhookReceiverOptions,
): Promise<WebhookReceiver> {
  const verifiers = options.secrets.map((s) => new Webhook(s));

  const route = (req: RouteRequest): RouteResult => {
    if (req.method !== "POST") return { reject: { status: 405 } };
    const headers = {
      "webhook-id": header(req, "webhook-id"),
      "webhook-timestamp": header(req, "webhook-timestamp"),
      "webhook-signature": header(req, "webhook-signature"),
    };
    const verified = verifiers.some((wh) => {
      try {
        wh.verify(req.rawBody, headers);
        return true;
      } catch {
        return false;
      }
    });
    if (!verified) return { reject: { status: 401, body: { error: "invalid signature" } } };

    const payload = req.body as Partial<WebhookPayload> | undefined;
    const data = payload?.data;
    if (
      payload?.type !== "message.send" ||
      typeof payload.timestamp !== "string" ||
      !data ||
      data.recipientId !== headers["webhook-id"] ||
      typeof data.to !== "string"
    ) {
      return { reject: { status: 400, body: { error: "unexpected payload" } } };
    }
    const id = headers["webhook-id"];
    return {
      messages: [{ id, to: data.to }],
      success: () => ({ status: 200, body: options.omitId ? { ok: true } : { id: `rcv_${id}` } }),
    };
  };

  const server = await startFakeServer(route);
  return {
    ...server,
    payloads: () => [...server.unique.values()].map((r) => r.body as WebhookPayload),
  };
}
