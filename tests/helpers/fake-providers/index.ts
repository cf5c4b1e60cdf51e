/**
 * Fake providers on 127.0.0.1 for adapter, pipeline and crash tests. Each `start…()` resolves
 * to `{ url, port, received, unique, count(id), duplicates(), failNext, failFor, setLatency,
 * reset, close }`. Ids are what the provider would dedupe on: the webhook-id (= recipient id)
 * for the webhook receiver, `messageId` (= recipient id) for Infobip, and
 * `biz_opaque_callback_data` (= recipient id) for WhatsApp Cloud. "Received exactly once" is
 * `duplicates().length === 0 && unique.size === expected`.
 */
export * from "./fake-server";
export * from "./webhook-receiver";
export * from "./whatsapp-cloud";
export * from "./infobip";
