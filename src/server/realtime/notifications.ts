import { EventEmitter } from "node:events";
import pg from "pg";
import { env } from "@/env";
import { logger } from "@/lib/logger";

type State = {
  emitter: EventEmitter;
  /** Notifications received so far: orders wake-ups against reads (shared-read.ts). */
  received: number;
  client?: pg.Client;
  connecting?: Promise<void>;
};
const CHANNELS = ["contact_import", "campaign_progress", "bot_activity"] as const;
export type Channel = (typeof CHANNELS)[number];

// One LISTEN connection per process, fanned out to every subscriber in memory.
const state: State = ((globalThis as { __salestrackNotify?: State }).__salestrackNotify ??= {
  emitter: new EventEmitter().setMaxListeners(0),
  received: 0,
});
// A state left by an earlier copy of this module (dev reloads) predates the counter.
state.received ??= 0;

async function connect(): Promise<void> {
  const client = new pg.Client({
    connectionString: env.DATABASE_URL,
    application_name: "salestrack-listen",
  });
  client.on("notification", (msg) => {
    state.received++;
    if (msg.payload) state.emitter.emit(`${msg.channel}:${msg.payload}`);
  });
  client.on("error", (err) => {
    logger.warn({ err: err.message }, "LISTEN connection lost; reconnecting on next subscription");
    state.client = undefined;
  });
  await client.connect();
  for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
  state.client = client;
}

function ensureListening(): Promise<void> {
  if (state.client) return Promise.resolve();
  state.connecting ??= connect().finally(() => (state.connecting = undefined));
  return state.connecting;
}

/** How many notifications this process has received: a read started now sees their commits. */
export function notificationsReceived(): number {
  return state.received;
}

/**
 * Resolves on the next notification for `channel`/`key`, or after `timeoutMs` (so callers
 * also poll: a missed notification only delays an update, never loses it), with the count of
 * notifications received by then: a read started at that count or later sees what woke it.
 */
export async function nextNotification(
  channel: Channel,
  key: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  await ensureListening().catch((err) =>
    logger.warn({ err: (err as Error).message }, "LISTEN unavailable; polling"),
  );
  // One listener and one timer per wait, nothing more: a notification wakes every live
  // subscriber of the key at once (hundreds on a busy Logs page), each for every line.
  const name = `${channel}:${key}`;
  return new Promise<number>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      state.emitter.off(name, done);
      signal?.removeEventListener("abort", done);
      // Timed out or aborted too: the caller re-reads the state either way.
      resolve(state.received);
    };
    const timer = setTimeout(done, timeoutMs);
    state.emitter.on(name, done);
    signal?.addEventListener("abort", done);
    if (signal?.aborted) done();
  });
}
