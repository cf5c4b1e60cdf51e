import { describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.WORKER_HEAP_MB = "256";
});

import { nodeArgsFor } from "./node-args";

describe("node flags per role", () => {
  it("gives a worker-only process its heap budget and a small young generation", () => {
    expect(nodeArgsFor(["--worker"])).toEqual([
      "--max-old-space-size=256",
      "--max-semi-space-size=8",
    ]);
  });

  it("leaves a process that serves the web alone (Next.js sizes its own heap)", () => {
    expect(nodeArgsFor(["--web"])).toEqual([]);
    expect(nodeArgsFor(["--web", "--worker"])).toEqual([]);
  });
});
