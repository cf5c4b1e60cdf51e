import { env } from "@/env";

/**
 * Node flags for a SalesTrack process with these roles. A worker-only process gets a V8
 * heap budget (WORKER_HEAP_MB) and an 8 MB young generation semi-space (V8 otherwise grows
 * it to 64 MB, i.e. 128 MB of RSS for short-lived parse garbage): an import's garbage is
 * collected as it goes instead of growing the process to several times what it holds.
 */
export function nodeArgsFor(roleArgs: readonly string[]): string[] {
  const workerOnly = roleArgs.includes("--worker") && !roleArgs.includes("--web");
  return workerOnly
    ? [`--max-old-space-size=${env.WORKER_HEAP_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`]
    : [];
}

const SEMI_SPACE_MB = 8;
