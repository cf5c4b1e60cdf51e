/**
 * Notifications from hot paths (agent pulls and results), sent after their commit and
 * throttled per channel and key in this process: the first goes out at once, the ones that
 * follow within THROTTLE_MS fold into one sent when the window ends.
 *
 * A NOTIFY inside a transaction makes its commit take the server's notification-queue lock,
 * held through the commit's WAL flush: every such commit waits for the one before it, with
 * no group commit. With a pull and a result per task each notifying, that queue set the agent
 * API's rate (`npm run bench -- lease`, docs/benchmarks.md). Listeners re-read the state
 * they show when woken, so one notification stands for every commit before it.
 */
import { logger } from "@/lib/logger";
import { appPool } from "@/server/db/client";
import type { Channel } from "./notifications";

/**
 * At most 40 notifications a second per channel and key from one process, and never more
 * than 25 ms added to what a live view shows (the Logs page aims at p95 < 100 ms from
 * commit to screen, `npm run bench -- realtime`).
 */
export const THROTTLE_MS = 25;

type Window = { pending: boolean };
const open = new Map<string, Window>();

function send(channel: Channel, key: string): void {
  appPool()
    .query("select pg_notify($1, $2)", [channel, key])
    .catch((err: Error) =>
      logger.warn({ err: err.message, channel, key }, "notification not sent"),
    );
}

/** Call after the change committed: listeners of `channel`/`key` re-read within THROTTLE_MS. */
export function announce(channel: Channel, key: string): void {
  const id = `${channel}:${key}`;
  const window = open.get(id);
  if (window) {
    window.pending = true;
    return;
  }
  send(channel, key);
  const state: Window = { pending: false };
  open.set(id, state);
  const close = () => {
    if (!state.pending) return void open.delete(id);
    state.pending = false;
    send(channel, key);
    setTimeout(close, THROTTLE_MS).unref();
  };
  setTimeout(close, THROTTLE_MS).unref();
}
