import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": path.resolve(__dirname, "src"), "@jobs": path.resolve(__dirname, "jobs") },
  },
  test: {
    environment: "node",
    include: [
      "src/**/*.test.ts",
      "jobs/**/*.test.ts",
      "tests/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["node_modules", ".next", ".data", "e2e"],
    globalSetup: ["tests/setup/global-setup.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      // A fixed test-only key (bot credentials are encrypted at rest).
      SECRETS_ENCRYPTION_KEY: "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=",
    },
  },
});
