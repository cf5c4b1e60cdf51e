import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// env.ts validates process.env when it is first imported, so every case re-imports it fresh.
async function loadEnv() {
  vi.resetModules();
  const mod = await import("./env");
  return mod.env;
}

async function loadError(): Promise<Error> {
  try {
    await loadEnv();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`env.ts threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected env validation to fail");
}

// Variables whose defaults are asserted, or that a malformed-value case sets: unset them all
// so the machine's environment cannot leak into a case.
const CONTROLLED = [
  "SKIP_ENV_VALIDATION",
  "PORT",
  "HOST",
  "LOG_LEVEL",
  "DATABASE_URL",
  "DATABASE_APP_URL",
  "DATABASE_POOL_MAX",
  "AUTH_KEYCLOAK_ISSUER",
  "AUTH_KEYCLOAK_ID",
  "AUTH_ROLE_ADMIN",
  "AUTH_ROLE_OPERATOR",
  "AUTH_ROLE_VIEWER",
  "AUTH_WORKSPACE_GROUP_PREFIX",
  "NEXTAUTH_SECRET",
  "SECRETS_ENCRYPTION_KEY",
  "SEED_DEMO_DATA",
  "WORKER_CONCURRENCY",
] as const;

beforeEach(() => {
  for (const name of CONTROLLED) vi.stubEnv(name, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("env defaults and coercion", () => {
  it("applies the documented defaults when variables are unset", async () => {
    const env = await loadEnv();
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.AUTH_KEYCLOAK_ID).toBe("salestrack");
    expect(env.AUTH_ROLE_ADMIN).toBe("admin");
    expect(env.AUTH_ROLE_OPERATOR).toBe("operator");
    expect(env.AUTH_ROLE_VIEWER).toBe("viewer");
    expect(env.AUTH_WORKSPACE_GROUP_PREFIX).toBe("/workspaces/");
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.WORKER_CONCURRENCY).toBe(2);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.AUTH_KEYCLOAK_ISSUER).toBeUndefined();
  });

  it("coerces numeric strings to numbers", async () => {
    vi.stubEnv("PORT", "4000");
    vi.stubEnv("DATABASE_POOL_MAX", "25");
    const env = await loadEnv();
    expect(env.PORT).toBe(4000);
    expect(env.DATABASE_POOL_MAX).toBe(25);
  });

  it("parses boolean flags", async () => {
    vi.stubEnv("SEED_DEMO_DATA", "1");
    expect((await loadEnv()).SEED_DEMO_DATA).toBe(true);
    vi.stubEnv("SEED_DEMO_DATA", "false");
    expect((await loadEnv()).SEED_DEMO_DATA).toBe(false);
  });

  it("keeps valid overrides", async () => {
    vi.stubEnv("AUTH_KEYCLOAK_ISSUER", "https://sso.example.com/realms/sales");
    vi.stubEnv("AUTH_ROLE_ADMIN", "salestrack-admin");
    vi.stubEnv("LOG_LEVEL", "debug");
    const env = await loadEnv();
    expect(env.AUTH_KEYCLOAK_ISSUER).toBe("https://sso.example.com/realms/sales");
    expect(env.AUTH_ROLE_ADMIN).toBe("salestrack-admin");
    expect(env.LOG_LEVEL).toBe("debug");
  });

  it("treats an empty string as unset, so the default applies", async () => {
    vi.stubEnv("PORT", "");
    vi.stubEnv("AUTH_KEYCLOAK_ID", "");
    vi.stubEnv("DATABASE_URL", "");
    const env = await loadEnv();
    expect(env.PORT).toBe(3000);
    expect(env.AUTH_KEYCLOAK_ID).toBe("salestrack");
    expect(env.DATABASE_URL).toBeUndefined();
  });
});

describe("env validation errors", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "not a url"],
    ["LOG_LEVEL", "loud"],
    ["AUTH_KEYCLOAK_ISSUER", "nope"],
    ["NEXTAUTH_SECRET", "short"],
    ["SECRETS_ENCRYPTION_KEY", Buffer.alloc(16).toString("base64")],
    ["SEED_DEMO_DATA", "yes"],
  ])("rejects %s=%j with a message naming the variable", async (name, value) => {
    vi.stubEnv(name, value);
    const error = await loadError();
    expect(error.message).toMatch(/^Invalid environment configuration/);
    expect(error.message).toContain(`- ${name}:`);
  });

  it("does not blame variables that are fine", async () => {
    vi.stubEnv("LOG_LEVEL", "loud");
    vi.stubEnv("PORT", "4000");
    const error = await loadError();
    expect(error.message).toContain("LOG_LEVEL");
    expect(error.message).not.toContain("PORT");
  });

  it("names every malformed variable in one message", async () => {
    vi.stubEnv("PORT", "abc");
    vi.stubEnv("DATABASE_URL", "not a url");
    const error = await loadError();
    expect(error.message).toContain("- PORT:");
    expect(error.message).toContain("- DATABASE_URL:");
  });

  it("accepts a 32-byte base64 encryption key", async () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    vi.stubEnv("SECRETS_ENCRYPTION_KEY", key);
    expect((await loadEnv()).SECRETS_ENCRYPTION_KEY).toBe(key);
  });

  it("skips validation when SKIP_ENV_VALIDATION=1 (raw values pass through)", async () => {
    vi.stubEnv("SKIP_ENV_VALIDATION", "1");
    vi.stubEnv("PORT", "abc");
    vi.stubEnv("DATABASE_URL", "not a url");
    const env = await loadEnv();
    expect(env.PORT as unknown).toBe("abc");
    expect(env.DATABASE_URL).toBe("not a url");
  });

  it("validates when SKIP_ENV_VALIDATION is anything other than 1", async () => {
    vi.stubEnv("SKIP_ENV_VALIDATION", "true");
    vi.stubEnv("PORT", "abc");
    const error = await loadError();
    expect(error.message).toContain("PORT");
  });
});
