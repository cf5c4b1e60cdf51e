/**
 * A SalesTrack process: `--web` serves HTTP (Next and the fast lane on one port), `--worker`
 * runs the pg-boss workers, both by default; `--ingest` serves only the fast lane (machine
 * traffic: agent API, bot events, provider webhooks, ops endpoints) and never loads Next.
 * Started by scripts/start.ts with the final environment already resolved, or directly by the
 * container image (`node --import tsx src/server/main.ts --web`), so that SIGTERM reaches
 * this process and not a shell in between.
 */
import type { Server } from "node:http";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { registerAgentBridge } from "@/modules/campaigns/agent-bridge";
import { checkAppRole, closeDatabase } from "@/server/db/client";
import { runMigrations } from "@/server/db/migrate";
import { seedDemoData } from "@/server/db/seed";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { createDrainer, shutDown, type Drainer } from "@/server/shutdown";
import { startWorkers } from "@jobs/worker";

const args = new Set(process.argv.slice(2));
const roles = {
  web: args.has("--web"),
  worker: args.has("--worker"),
  ingest: args.has("--ingest"),
};
if (!roles.web && !roles.worker && !roles.ingest) roles.web = roles.worker = true;
const dev = args.has("--dev");

/** Next only in the web role: an ingest process must not even load it. */
async function startServer(): Promise<Server> {
  if (roles.web) return (await import("@/server/http/server")).startHttpServer({ dev });
  return (await import("@/server/http/ingest-server")).startIngestServer();
}

/**
 * What the launcher checks for `npm start`, checked here too: the image starts this file
 * without the launcher. Sign-in stores the provider tokens sealed, and bot secrets are sealed
 * too, so web and ingest need the key.
 */
function checkWebConfiguration() {
  if (roles.web && roles.ingest) {
    throw new Error("--ingest serves the fast lane on PORT, which --web already serves there");
  }
  if (!roles.web && !roles.ingest) return;
  if (
    roles.web &&
    env.AUTH_KEYCLOAK_ISSUER &&
    (!env.NEXTAUTH_SECRET || !env.AUTH_KEYCLOAK_SECRET)
  ) {
    throw new Error(
      "With AUTH_KEYCLOAK_ISSUER set, NEXTAUTH_SECRET and AUTH_KEYCLOAK_SECRET must be set too",
    );
  }
  if (!env.SECRETS_ENCRYPTION_KEY) {
    throw new Error(
      "SECRETS_ENCRYPTION_KEY must be set: provider tokens and bot credentials are encrypted " +
        "at rest (generate one with `openssl rand -base64 32`)",
    );
  }
}

let drainer: Drainer | null = null;

async function main() {
  const t0 = performance.now();
  checkWebConfiguration();
  await runMigrations(env.DATABASE_URL!);
  await checkAppRole();
  if (env.SEED_DEMO_DATA) await seedDemoData();
  const boss = await getBoss();
  // Agent tasks settle in both roles (results over the fast lane, timeouts in the sweep).
  registerAgentBridge();
  if (roles.worker) await startWorkers(boss);
  let server: Server | null = null;
  if (roles.web || roles.ingest) {
    server = await startServer();
    drainer = createDrainer(server);
  }
  logger.info({ roles, ms: Math.round(performance.now() - t0) }, "salestrack started");
}

const started = main();
started.catch((err) => {
  logger.fatal({ err }, "failed to start");
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  // Ctrl-C reaches both the launcher and this process (one process group), and the launcher
  // forwards it as well: the second delivery is the same request, not "stop harder".
  if (stopping) return;
  stopping = true;
  const deadlineMs = env.SHUTDOWN_TIMEOUT_SECONDS * 1000;
  // Whatever still hangs past the deadline (a stuck query, a handler ignoring its signal)
  // must not keep the process around until the orchestrator's SIGKILL.
  setTimeout(() => {
    logger.error({ deadlineMs }, "shutdown overran its deadline; exiting");
    process.exit(1);
  }, deadlineMs + 5_000).unref();
  logger.info({ signal, deadlineMs }, "shutting down: finishing in-flight requests and jobs");
  // A signal during start-up stops the process once it is up (or has failed to start).
  await started.catch(() => undefined);
  await shutDown(
    {
      drainer,
      stopQueue: (timeoutMs) => stopBoss(timeoutMs),
      closeDatabase,
      log: (obj, msg) => logger.info(obj, msg),
    },
    deadlineMs,
  );
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
