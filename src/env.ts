import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";
import { DEFAULT_TRUSTED_PROXIES, trustedProxiesError } from "@/server/http/trusted-proxies";

/**
 * The only reader of process.env. Every variable the app understands is declared here, with
 * its default; README's configuration table mirrors this file. A missing or malformed value
 * stops the process with a message naming the variable.
 */
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().default("0.0.0.0"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATA_DIR: z.string().default(".data"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    // Peers whose X-Forwarded-For/-Proto are believed (CIDR list; "none"): docs/security.md.
    TRUSTED_PROXIES: z
      .string()
      .default(DEFAULT_TRUSTED_PROXIES)
      .superRefine((v, ctx) => {
        const error = trustedProxiesError(v);
        if (error) ctx.addIssue({ code: "custom", message: error });
      }),
    // Metrics: on the main port only with this bearer token; else on METRICS_LISTEN ("off").
    METRICS_TOKEN: z.string().min(16).optional(),
    METRICS_LISTEN: z
      .string()
      .regex(/^(off|[\w.-]+:\d{1,5}|\[[\da-fA-F:.]+\]:\d{1,5})$/, 'must be "host:port" or "off"')
      .default("127.0.0.1:9464"),

    // Database: DATABASE_URL (owner: migrates) or the embedded Postgres when unset.
    DATABASE_URL: z.url().optional(),
    DATABASE_APP_URL: z.url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54320),

    // Auth: a real Keycloak when AUTH_KEYCLOAK_ISSUER is set, else the local stand-in issuer.
    NEXTAUTH_URL: z.url().optional(),
    NEXTAUTH_SECRET: z.string().min(16).optional(),
    AUTH_KEYCLOAK_ISSUER: z.url().optional(),
    AUTH_KEYCLOAK_ID: z.string().min(1).default("salestrack"),
    AUTH_KEYCLOAK_SECRET: z.string().min(1).optional(),
    AUTH_ROLE_ADMIN: z.string().min(1).default("admin"),
    AUTH_ROLE_OPERATOR: z.string().min(1).default("operator"),
    AUTH_ROLE_VIEWER: z.string().min(1).default("viewer"),
    AUTH_WORKSPACE_GROUP_PREFIX: z.string().min(1).default("/workspaces/"),
    LOCAL_ISSUER_PORT: z.coerce.number().int().min(1024).max(65535).default(8080),
    LOCAL_ISSUER_TOKEN_TTL: z.coerce.number().int().min(10).max(86400).default(300),

    // 32 random bytes, base64: encrypts bot credentials at rest (AES-256-GCM).
    SECRETS_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
    // The key SECRETS_ENCRYPTION_KEY replaced, during a rotation: still opens what it sealed,
    // never seals anything new (docs/operations.md, Key rotation).
    SECRETS_ENCRYPTION_KEY_PREVIOUS: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(100 * 1024 * 1024),
    IMPORT_BATCH_ROWS: z.coerce.number().int().min(100).max(500_000).default(25_000),
    // Connections writing each import batch in parallel (its rows split by phone).
    IMPORT_WRITERS: z.coerce.number().int().min(1).max(8).default(2),
    // Retention (docs/operations.md). Uploaded CSV files (personal data) are deleted when their
    // import ends; an upload never started is canceled and deleted after this many hours.
    IMPORT_UPLOAD_RETENTION_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
    // Audit-log rows older than this are deleted by a daily job; 0 keeps them forever.
    AUDIT_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
    // A sign-in's stored provider tokens are deleted after this many days, however active the
    // session (the user signs in again); idle sessions already go after 10 hours.
    SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // Bot and task log lines (docs/agents.md): whole months older than this are dropped.
    LOG_RETENTION_DAYS: z.coerce.number().int().min(31).max(3650).default(90),
    SEED_DEMO_DATA: bool.optional(),
    APP_COMMIT: z.string().optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    // On SIGTERM: how long requests and running jobs get before connections are cut and jobs
    // are released for a retry. Keep it under the orchestrator's grace period (compose: 30 s).
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(20),
    // V8 heap budget of a worker-only process (`npm run worker`), in MB.
    WORKER_HEAP_MB: z.coerce.number().int().min(96).max(16_384).default(192),
    // pg-boss supervision (seconds; unset = pg-boss's 60): a job whose heartbeat stopped is
    // failed (and retried) only when a supervise pass finds its queue's monitor due, so a dead
    // worker's jobs wait up to the longer of the two after the heartbeat itself lapses.
    QUEUE_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
    QUEUE_MONITOR_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  // `next build` evaluates server modules without the runtime configuration.
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
  onValidationError: (issues) => {
    const lines = issues.map((i) => `  - ${i.path?.map(String).join(".") ?? "?"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  },
});

export type Env = typeof env;

/** Environment for a child process started by the launcher (scripts/start.ts). */
export function childProcessEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
