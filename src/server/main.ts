/**
 * A SalesTrack process: `--web` serves HTTP, `--worker` runs the pg-boss workers, both by
 * default. Started by scripts/start.ts with the final environment already resolved.
 */
import type { Server } from "node:http";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { closeDatabase } from "@/server/db/client";
import { runMigrations } from "@/server/db/migrate";
import { seedDemoData } from "@/server/db/seed";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { startWorkers } from "@jobs/worker";
import { startHttpServer } from "@/server/http/server";

const args = new Set(process.argv.slice(2));
const roles = { web: args.has("--web"), worker: args.has("--worker") };
if (!roles.web && !roles.worker) roles.web = roles.worker = true;
const dev = args.has("--dev");

async function main() {
  const t0 = performance.now();
  await runMigrations(env.DATABASE_URL!);
  if (env.SEED_DEMO_DATA) await seedDemoData();
  const boss = await getBoss();
  if (roles.worker) await startWorkers(boss);
  let server: Server | null = null;
  if (roles.web) server = await startHttpServer({ dev });
  logger.info({ roles, ms: Math.round(performance.now() - t0) }, "salestrack started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests and jobs");
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await stopBoss();
    await closeDatabase();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "failed to start");
  process.exit(1);
});
