import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const sent = vi.hoisted(() => [] as unknown[][]);
vi.mock("@/server/db/client", () => ({
  appPool: () => ({
    query: async (_text: string, params: unknown[]) => {
      sent.push(params);
      return { rows: [] };
    },
  }),
}));

const { announce, THROTTLE_MS } = await import("./announce");

describe("announce", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    sent.length = 0;
  });
  afterEach(() => {
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
  });

  it("notifies at once, then folds a burst into one notification at the window's end", () => {
    announce("bot_activity", "w1");
    expect(sent).toEqual([["bot_activity", "w1"]]);
    for (let i = 0; i < 50; i++) announce("bot_activity", "w1");
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(THROTTLE_MS);
    expect(sent).toEqual([
      ["bot_activity", "w1"],
      ["bot_activity", "w1"],
    ]);
  });

  it("keeps throttling while changes keep coming, and is immediate again after a quiet window", () => {
    announce("bot_activity", "w2");
    for (let window = 0; window < 5; window++) {
      announce("bot_activity", "w2");
      vi.advanceTimersByTime(THROTTLE_MS);
    }
    // One at once, then one per window with changes in it.
    expect(sent).toHaveLength(6);
    vi.advanceTimersByTime(THROTTLE_MS);
    expect(sent).toHaveLength(6);
    announce("bot_activity", "w2");
    expect(sent).toHaveLength(7);
  });

  it("throttles each channel and key on its own", () => {
    announce("bot_activity", "a");
    announce("bot_activity", "b");
    announce("campaign_progress", "a");
    announce("bot_activity", "a");
    expect(sent).toEqual([
      ["bot_activity", "a"],
      ["bot_activity", "b"],
      ["campaign_progress", "a"],
    ]);
  });
});
