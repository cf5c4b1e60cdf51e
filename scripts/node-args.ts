import { env } from "@/env";

/**
 * Node flags for a SalesTrack process with these roles. A worker-only process gets a V8
 * heap budget (WORKER_HEAP_MB): an import's garbage is then collected as it goes instead of
 * growing the process to several times what it really holds.
 */
export function nodeArgsFor(roleArgs: readonly string[]): string[] {
  const workerOnly = roleArgs.includes("--worker") && !roleArgs.includes("--web");
  return workerOnly ? [`--max-old-space-size=${env.WORKER_HEAP_MB}`] : [];
}
