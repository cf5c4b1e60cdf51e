import { spawn, type ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";
import { writeRealmImport } from "./realm-import";
import {
  KEYCLOAK_ISSUER,
  KEYCLOAK_LOG,
  KEYCLOAK_MANAGEMENT_PORT,
  KEYCLOAK_PORT,
  KEYCLOAK_TEST_ADMIN,
  KEYCLOAK_TEST_CLIENT_SECRET,
  KEYCLOAK_URL,
} from "./settings";

/**
 * Starts Keycloak in dev mode on 127.0.0.1 with a fresh in-memory database, importing the
 * realm (and test users) at boot. Its output goes to .cache/keycloak/keycloak.log.
 */
export function startKeycloak({ home, javaHome }: { home: string; javaHome: string }) {
  writeRealmImport(home);
  const log = openSync(KEYCLOAK_LOG, "w");
  return spawn(
    "bash",
    [
      path.join(home, "bin", "kc.sh"),
      "start-dev",
      "--import-realm",
      // Nothing to keep between runs: every run imports the realm files as they are now.
      "--db=dev-mem",
      "--http-host=127.0.0.1",
      `--http-port=${KEYCLOAK_PORT}`,
      `--http-management-port=${KEYCLOAK_MANAGEMENT_PORT}`,
      `--hostname=${KEYCLOAK_URL}`,
    ],
    {
      cwd: home,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        JAVA_HOME: javaHome,
        // A short-lived server: the C1 compiler alone starts it markedly faster.
        JAVA_OPTS_APPEND: "-XX:TieredStopAtLevel=1",
        KC_BOOTSTRAP_ADMIN_USERNAME: KEYCLOAK_TEST_ADMIN.username,
        KC_BOOTSTRAP_ADMIN_PASSWORD: KEYCLOAK_TEST_ADMIN.password,
        // Resolved into the realm file's "${AUTH_KEYCLOAK_SECRET}" at import, as in compose.
        AUTH_KEYCLOAK_SECRET: KEYCLOAK_TEST_CLIENT_SECRET,
      },
    },
  );
}

/** Resolves once the realm's discovery document is served; rejects if Keycloak exits first. */
export async function waitForDiscovery(child: ChildProcess, timeoutMs: number): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`Keycloak exited (${code}) before serving its realm; see ${KEYCLOAK_LOG}`)),
    ),
  );
  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const res = await fetch(`${KEYCLOAK_ISSUER}/.well-known/openid-configuration`).catch(
        () => null,
      );
      if (res?.ok) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`Keycloak did not serve its realm within ${timeoutMs / 1000} s`);
  })();
  await Promise.race([ready, exited]);
}

/** SIGTERM, then SIGKILL if it has not gone after 15 s. */
export async function stopKeycloak(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await gone;
  clearTimeout(timer);
}
