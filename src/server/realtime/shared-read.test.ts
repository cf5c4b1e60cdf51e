import { describe, expect, it } from "vitest";
import { createSharedReads } from "./shared-read";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A clock counting notifications, and a read that answers when told to. */
function setup() {
  let received = 0;
  const reads: { answer: ReturnType<typeof deferred<string[]>> }[] = [];
  const sharedRead = createSharedReads(() => received);
  const read = () => {
    const answer = deferred<string[]>();
    reads.push({ answer });
    return answer.promise;
  };
  return { sharedRead, read, reads, notify: () => ++received };
}

describe("sharedRead", () => {
  it("gives every subscriber woken by one notification the answer of a single read", async () => {
    const { sharedRead, read, reads, notify } = setup();
    const woken = notify();
    const answers = [1, 2, 3].map(() => sharedRead("logs:w:{}:t:1", woken, read));
    expect(reads).toHaveLength(1);
    reads[0]!.answer.resolve(["line 2"]);
    expect(await Promise.all(answers)).toEqual([["line 2"], ["line 2"], ["line 2"]]);
  });

  it("never hands a subscriber a read that started before the notification that woke it", async () => {
    const { sharedRead, read, reads, notify } = setup();
    const first = sharedRead("k", notify(), read);
    // A second commit's notification arrives while the first read is still in flight: that
    // read's snapshot may not hold the new line, so the subscriber it woke reads again.
    const second = sharedRead("k", notify(), read);
    expect(reads).toHaveLength(2);
    reads[0]!.answer.resolve(["a"]);
    reads[1]!.answer.resolve(["a", "b"]);
    expect(await first).toEqual(["a"]);
    expect(await second).toEqual(["a", "b"]);
  });

  it("keeps different keys apart and reads afresh once a read has answered", async () => {
    const { sharedRead, read, reads, notify } = setup();
    const woken = notify();
    const a = sharedRead("a", woken, read);
    const b = sharedRead("b", woken, read);
    expect(reads).toHaveLength(2);
    reads[0]!.answer.resolve(["a"]);
    reads[1]!.answer.resolve(["b"]);
    expect([await a, await b]).toEqual([["a"], ["b"]]);
    const again = sharedRead("a", woken, read);
    expect(reads).toHaveLength(3);
    reads[2]!.answer.resolve([]);
    expect(await again).toEqual([]);
  });

  it("passes a failed read's error to everyone who shared it, then reads again", async () => {
    const { sharedRead, read, reads, notify } = setup();
    const woken = notify();
    const shared = [sharedRead("k", woken, read), sharedRead("k", woken, read)];
    reads[0]!.answer.reject(new Error("connection lost"));
    for (const p of shared) await expect(p).rejects.toThrow("connection lost");
    void sharedRead("k", woken, read);
    expect(reads).toHaveLength(2);
  });
});
