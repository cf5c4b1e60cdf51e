import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "src",
  "messages",
  "public",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const st = statSync(entry);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(entry))
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** Runs `next build` when there is no build yet or a source is newer than the last one. */
export function buildIfNeeded(log: (msg: string) => void): void {
  const buildId = path.resolve(".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const newest = Math.max(...INPUTS.map(newestMtime));
  if (builtAt >= newest) return;
  log(
    builtAt
      ? "sources changed since the last build: running next build"
      : "no build yet: running next build (first start takes a minute or two)",
  );
  const nextBin = path.resolve("node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}
