"use client";

import { useCallback, useEffect, useState } from "react";

type Snapshot = { at: number; done: number };
type History = { samples: Snapshot[]; skew: number };

/** Rates are measured over this much recent history. */
const WINDOW_MS = 60_000;
/** Below this much history a rate is noise. */
const MIN_SPAN_MS = 3_000;
const TICK_MS = 2_000;

/**
 * Send rate (settled recipients per minute) and time left, from the successive progress
 * snapshots the live stream pushes (`at` is the server's clock in ms). The stream only
 * speaks when something changed, so the rate is measured up to *now*: a stalled campaign
 * (quiet hours, a paused bot) sees its rate fall instead of freezing at the last value.
 */
export function useSendRate({ active, remaining }: { active: boolean; remaining: number }) {
  const [history, setHistory] = useState<History>({ samples: [], skew: 0 });
  const [now, setNow] = useState(0);

  const record = useCallback((at: number, done: number) => {
    setHistory(({ samples }) => {
      const last = samples.at(-1);
      // A snapshot going backwards (a new run) starts the measurement over.
      const next = last && done < last.done ? [] : [...samples];
      next.push({ at, done });
      // Keep the window plus one older snapshot as the baseline.
      while (next.length > 2 && next[1]!.at < at - WINDOW_MS) next.shift();
      return { samples: next, skew: Date.now() - at };
    });
    setNow(Date.now());
  }, []);

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [active]);

  const { samples, skew } = history;
  const none = { record, perMinute: null, secondsLeft: null };
  if (!active || samples.length < 2) return none;
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const span = Math.max(last.at, now - skew) - first.at;
  if (span < MIN_SPAN_MS) return none;
  const perMs = (last.done - first.done) / span;
  return {
    record,
    perMinute: perMs * 60_000,
    secondsLeft: perMs > 0 ? remaining / perMs / 1000 : null,
  };
}
