import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium";
import {
  E2E_APP_PORT,
  E2E_APP_URL,
  KEYCLOAK_CLIENT_ID,
  KEYCLOAK_ISSUER,
  KEYCLOAK_TEST_CLIENT_SECRET,
} from "./scripts/keycloak/settings";

// Run through `npm run e2e:keycloak` (scripts/keycloak/e2e.ts), which starts Keycloak beside
// this suite. The app gets its own port, data dir and database, and a real Keycloak as issuer.
export default defineConfig({
  testDir: "e2e-keycloak",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: E2E_APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "es-PY",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    { name: "keycloak-ready", testMatch: /keycloak\.setup\.ts/ },
    {
      name: "keycloak",
      use: { ...devices["Desktop Chrome"], locale: "es-PY" },
      dependencies: ["keycloak-ready"],
    },
  ],
  webServer: {
    command: "rm -rf .data/e2e-keycloak && npm start",
    url: `${E2E_APP_URL}/api/ready`,
    timeout: 300_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(E2E_APP_PORT),
      NEXTAUTH_URL: E2E_APP_URL,
      NEXTAUTH_SECRET: "e2e-keycloak-nextauth-secret",
      DATA_DIR: ".data/e2e-keycloak",
      EMBEDDED_PG_PORT: "54336",
      METRICS_LISTEN: "off",
      AUTH_KEYCLOAK_ISSUER: KEYCLOAK_ISSUER,
      AUTH_KEYCLOAK_ID: KEYCLOAK_CLIENT_ID,
      AUTH_KEYCLOAK_SECRET: KEYCLOAK_TEST_CLIENT_SECRET,
      LOG_LEVEL: "warn",
    },
  },
});
