/**
 * `npm run e2e:keycloak [-- playwright args]`: the sign-in suite against a real Keycloak.
 *
 * Finds a JDK Keycloak supports, fetches and unpacks the pinned distribution on first use
 * (Maven), starts it, and runs playwright.keycloak.config.ts meanwhile: the app boots while
 * Keycloak does, and the suite's setup waits for the realm. Keycloak is stopped afterwards.
 * Without Java, Maven or network it stops with one line saying what it needs.
 */
import { spawn } from "node:child_process";
import { ensureDistribution, KeycloakUnavailable } from "./distribution";
import { findKeycloakJava, SUPPORTED_JAVA } from "./java";
import { startKeycloak, stopKeycloak, waitForDiscovery } from "./server";
import { KEYCLOAK_LOG } from "./settings";

const KEYCLOAK_BOOT_TIMEOUT_MS = 600_000;

function prerequisites() {
  const java = findKeycloakJava();
  if (!java) {
    throw new KeycloakUnavailable(
      `e2e:keycloak needs a Java ${SUPPORTED_JAVA.join(", ")} JDK for Keycloak (set KEYCLOAK_JAVA_HOME, or apt-get install openjdk-17-jre-headless)`,
    );
  }
  return { javaHome: java.home, home: ensureDistribution() };
}

async function main(): Promise<number> {
  let ready: ReturnType<typeof prerequisites>;
  try {
    ready = prerequisites();
  } catch (err) {
    if (!(err instanceof KeycloakUnavailable)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const started = Date.now();
  const keycloak = startKeycloak(ready);
  const playwright = spawn(
    "npx",
    ["playwright", "test", "-c", "playwright.keycloak.config.ts", ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  const booted = waitForDiscovery(keycloak, KEYCLOAK_BOOT_TIMEOUT_MS).then(
    () =>
      process.stdout.write(`Keycloak ready in ${Math.round((Date.now() - started) / 1000)} s\n`),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      playwright.kill("SIGTERM");
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => playwright.kill(signal));
  }
  const code = await new Promise<number>((resolve) =>
    playwright.once("exit", (c) => resolve(c ?? 1)),
  );
  await stopKeycloak(keycloak);
  await booted;
  if (code !== 0) process.stderr.write(`Keycloak's log: ${KEYCLOAK_LOG}\n`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
