import type { Server } from "node:http";
import next from "next";
import { env } from "@/env";
import { createFastLane } from "./fast-lane";
import { createHttpListener, listenOnAppPort } from "./http-listener";

export { createHttpListener, type HttpListenerOptions } from "./http-listener";

/**
 * One HTTP server per web process: the fast lane (ops endpoints, provider webhooks, the agent
 * API and bot events, `fast-lane.ts`) is served by plain node:http, everything else goes to
 * Next's request handler; metrics on their own listener (metrics-endpoint.ts). The ingest role
 * serves the fast lane alone, without this file (ingest-server.ts): it never loads Next.
 */
export async function startHttpServer({ dev }: { dev: boolean }): Promise<Server> {
  const app = next({ dev, dir: process.cwd(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  return listenOnAppPort(
    createHttpListener({
      lane: createFastLane(),
      next: app.getRequestHandler(),
      dev,
      appUrl: env.NEXTAUTH_URL,
      metricsToken: env.METRICS_TOKEN,
      formActionOrigins: env.AUTH_KEYCLOAK_ISSUER ? [new URL(env.AUTH_KEYCLOAK_ISSUER).origin] : [],
    }),
    dev ? "web server (dev)" : "web server",
  );
}
