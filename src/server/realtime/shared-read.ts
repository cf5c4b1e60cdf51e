/**
 * Reads shared by the live subscriptions of one process. When a notification wakes many
 * subscribers that would read the same thing (one workspace's new log lines since the same
 * line, with the same filters), the first starts the read and the others take its answer:
 * one query per notification instead of one per subscriber.
 *
 * A subscriber may only take the answer of a read that started after the notification that
 * woke it arrived (its `wokenAt`, counted by notifications.ts): that read's snapshot holds
 * the commit behind the notification. An older read still in flight may not, so the
 * subscriber starts its own.
 */
import { notificationsReceived } from "./notifications";

type Flight = { startedAt: number; result: Promise<unknown> };

export function createSharedReads(clock: () => number) {
  const flights = new Map<string, Flight>();
  return function sharedRead<T>(key: string, wokenAt: number, read: () => Promise<T>): Promise<T> {
    const flight = flights.get(key);
    if (flight && flight.startedAt >= wokenAt) return flight.result as Promise<T>;
    const entry: Flight = { startedAt: clock(), result: read() };
    flights.set(key, entry);
    const done = () => {
      if (flights.get(key) === entry) flights.delete(key);
    };
    entry.result.then(done, done);
    return entry.result as Promise<T>;
  };
}

/** The process's shared reads, ordered by the notifications its LISTEN connection received. */
export const sharedRead = createSharedReads(notificationsReceived);
