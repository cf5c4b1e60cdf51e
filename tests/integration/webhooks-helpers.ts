/**
 * Provider webhooks against the real fast lane on a loopback port (no Next: the lane's own
 * listener), plus the bodies Meta and Infobip send, built from their documented shapes.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFastLane, type FastLaneOptions } from "@/server/http/fast-lane";

export type LaneServer = { url: string; close: () => Promise<void> };

export async function startFastLane(options: FastLaneOptions = {}): Promise<LaneServer> {
  const server = createServer(createFastLane(options).listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function hubSignature(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

export type MetaStatus = {
  id: string;
  status: "sent" | "delivered" | "read" | "failed";
  recipient_id?: string;
  biz_opaque_callback_data?: string;
  errors?: { code: number; title: string }[];
};

export type MetaMessage = { from: string; text: string };

let clock = Math.floor(Date.now() / 1000);

/** One webhook body for one phone number id, the way Meta batches a change. */
export function metaBody(
  phoneNumberId: string,
  { statuses = [], messages = [] }: { statuses?: MetaStatus[]; messages?: MetaMessage[] },
): string {
  const value: Record<string, unknown> = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550783881", phone_number_id: phoneNumberId },
  };
  if (statuses.length) {
    value.statuses = statuses.map((s) => ({
      recipient_id: "595981000000",
      ...s,
      timestamp: String(++clock),
    }));
  }
  if (messages.length) {
    value.contacts = messages.map((m) => ({
      profile: { name: "Cliente" },
      wa_id: m.from.replace("+", ""),
    }));
    value.messages = messages.map((m, i) => ({
      from: m.from.replace("+", ""),
      id: `wamid.in.${clock}.${i}`,
      timestamp: String(++clock),
      type: "text",
      text: { body: m.text },
    }));
  }
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value }] }],
  });
}

export async function postRaw(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
