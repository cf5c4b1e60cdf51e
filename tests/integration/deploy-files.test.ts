/**
 * The deployment files say what docs/deploy.md and docs/security.md promise. No Docker engine
 * runs in CI, so this reads them: compose.yaml (parsed as YAML), the Dockerfile, the realm
 * files, init.sql, .dockerignore and the npm scripts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { nodeArgsFor } from "../../scripts/node-args";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

type Service = {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
  init?: boolean;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
};
type Compose = { services: Record<string, Service> };

const compose = load(read("compose.yaml")) as Compose;
const services = compose.services;
const dockerfile = read("Dockerfile");
const realm = JSON.parse(read("deploy/keycloak/salestrack-realm.json")) as Record<string, unknown>;

/** Compose's `${VAR:-default}` with its default, for comparing with what the code computes. */
const withDefaults = (s: string) => s.replace(/\$\{\w+:-([^}]*)\}/g, "$1");

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(): string[] {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

function runtimeStage(): string[] {
  const all = instructions();
  const from = all.findLastIndex((l) => /^FROM\s/i.test(l));
  return all.slice(from);
}

describe("the image (Dockerfile)", () => {
  it("starts Node directly, in exec form, never through npm", () => {
    const cmd = runtimeStage().find((l) => l.startsWith("CMD "))!;
    const args = JSON.parse(cmd.slice(4)) as string[];
    expect(args).toEqual(["node", "--import", "tsx", "src/server/main.ts", "--web"]);
    expect(runtimeStage().some((l) => /^ENTRYPOINT\s/.test(l))).toBe(false);
  });

  it("ships production dependencies only, without the build cache", () => {
    const all = instructions();
    const prodInstall = all.find((l) => /npm ci\b.*--omit=dev/.test(l));
    expect(prodInstall).toBeDefined();
    const prodStage = all
      .slice(0, all.indexOf(prodInstall!))
      .findLast((l) => /^FROM\s/.test(l))!
      .split(/\s+AS\s+/i)[1];
    const copiesModules = runtimeStage().filter((l) => /node_modules/.test(l));
    expect(copiesModules).toEqual([`COPY --from=${prodStage} /app/node_modules ./node_modules`]);
    expect(
      all.some((l) => /next build|npm run build/.test(l) && /rm -rf \.next\/cache/.test(l)),
    ).toBe(true);
  });

  it("keeps the code root's: only .data is the runtime user's, and nothing builds at start", () => {
    const stage = runtimeStage();
    expect(stage.filter((l) => /^COPY\b/.test(l) && /--chown/.test(l))).toEqual([]);
    expect(stage).toContain("RUN mkdir -p /app/.data && chown node:node /app/.data");
    expect(stage).toContain("USER node");
    expect(stage.some((l) => /next build|npm run build|npm run start/.test(l))).toBe(false);
  });

  it("takes APP_COMMIT from a build argument", () => {
    const stage = runtimeStage();
    expect(stage.some((l) => /^ARG APP_COMMIT\b/.test(l))).toBe(true);
    expect(stage).toContain("ENV APP_COMMIT=${APP_COMMIT}");
  });
});

describe("compose.yaml", () => {
  const app = ["web", "worker"] as const;

  it("starts web and worker with Node in exec form, the worker with the launcher's flags", () => {
    expect(services.web!.command).toEqual([
      "node",
      "--import",
      "tsx",
      "src/server/main.ts",
      "--web",
    ]);
    const worker = services.worker!.command as string[];
    expect(Array.isArray(worker)).toBe(true);
    expect(worker.map(withDefaults)).toEqual([
      "node",
      ...nodeArgsFor(["--worker"]),
      "--import",
      "tsx",
      "src/server/main.ts",
      "--worker",
    ]);
    for (const name of app) {
      expect(JSON.stringify(services[name]!.command)).not.toMatch(/\bnpm\b/);
      expect(services[name]!.init).toBe(true);
    }
  });

  it("gives each process 30 s to stop, and drains within less", () => {
    for (const name of app) {
      expect(services[name]!.stop_grace_period).toBe("30s");
      const drain = Number(services[name]!.environment!.SHUTDOWN_TIMEOUT_SECONDS);
      expect(drain).toBeGreaterThan(0);
      expect(drain).toBeLessThanOrEqual(25);
    }
  });

  it("requires every secret (`:?`) and defaults none", () => {
    // Comments may quote a placeholder; only the configuration counts.
    const text = read("compose.yaml")
      .split("\n")
      .filter((l) => !l.trim().startsWith("#"))
      .join("\n");
    const references = [...text.matchAll(/\$\{(\w+)(:[?-])?([^}]*)\}/g)];
    const secretLike = /PASSWORD|SECRET|_KEY$/;
    const secrets = references.filter(([, name]) => secretLike.test(name!));
    expect(new Set(secrets.map(([, name]) => name))).toEqual(
      new Set([
        "POSTGRES_PASSWORD",
        "POSTGRES_OWNER_PASSWORD",
        "POSTGRES_APP_PASSWORD",
        "KEYCLOAK_DB_PASSWORD",
        "KEYCLOAK_ADMIN_PASSWORD",
        "AUTH_KEYCLOAK_SECRET",
        "NEXTAUTH_SECRET",
        "SECRETS_ENCRYPTION_KEY",
      ]),
    );
    for (const [whole, , operator] of secrets) expect(operator, whole).toBe(":?");
    // No literal credentials either.
    expect(text).not.toMatch(/change-me|admin\/admin|PASSWORD:\s*["']?[\w-]+["']?\s*$/m);
    const kc = services.keycloak!.environment!;
    expect(kc.KC_BOOTSTRAP_ADMIN_PASSWORD).toMatch(/^\$\{KEYCLOAK_ADMIN_PASSWORD:\?/);
    expect(kc.AUTH_KEYCLOAK_SECRET).toMatch(/^\$\{AUTH_KEYCLOAK_SECRET:\?/);
  });

  it("uses a non-superuser owner for DATABASE_URL and the app login role for DATABASE_APP_URL", () => {
    for (const name of ["web", "worker"]) {
      const env = services[name]!.environment!;
      expect(env.DATABASE_URL).toMatch(
        /^postgres:\/\/salestrack_owner:\$\{POSTGRES_OWNER_PASSWORD:\?/,
      );
      expect(env.DATABASE_APP_URL).toMatch(
        /^postgres:\/\/salestrack_app_login:\$\{POSTGRES_APP_PASSWORD:\?/,
      );
    }
    const pg = services.postgres!;
    expect(pg.volumes).toContain(
      "./deploy/postgres/init.sql:/docker-entrypoint-initdb.d/10-salestrack.sql:ro",
    );
    expect(JSON.stringify(pg.healthcheck!.test)).toMatch(/pg_isready -h 127\.0\.0\.1 /);
  });

  it("publishes Keycloak (and the app) on 127.0.0.1 only, and nothing of Postgres", () => {
    expect(services.keycloak!.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(services.web!.ports!.every((p) => p.startsWith("127.0.0.1:"))).toBe(true);
    expect(services.postgres!.ports).toBeUndefined();
  });

  it("pins Keycloak to a 26.x patch release and waits for its health before web starts", () => {
    expect(services.keycloak!.image).toMatch(/^quay\.io\/keycloak\/keycloak:26\.\d+\.\d+$/);
    expect(services.keycloak!.environment!.KC_HEALTH_ENABLED).toBe("true");
    expect(JSON.stringify(services.keycloak!.healthcheck!.test)).toMatch(
      /\/dev\/tcp\/127\.0\.0\.1\/9000.*\/health\/ready/,
    );
    expect(services.web!.depends_on!.keycloak).toEqual({ condition: "service_healthy" });
    expect(services.web!.depends_on!.postgres).toEqual({ condition: "service_healthy" });
  });

  it("imports the realm without users; test users only through the test overlay", () => {
    expect(services.keycloak!.command).toEqual(["start", "--import-realm"]);
    expect(services.keycloak!.volumes).toEqual([
      "./deploy/keycloak/salestrack-realm.json:/opt/keycloak/data/import/salestrack-realm.json:ro",
    ]);
    const overlay = load(read("deploy/compose.test-users.yaml")) as Compose;
    expect(overlay.services.keycloak!.volumes).toEqual([
      "./deploy/keycloak/salestrack-realm.test-users.json:/opt/keycloak/data/import/salestrack-users-0.json:ro",
    ]);
  });
});

describe("the Keycloak realm", () => {
  it("holds no users and takes the client secret from the environment", () => {
    expect(realm).not.toHaveProperty("users");
    const [client] = realm.clients as { clientId: string; secret: string }[];
    expect(client).toMatchObject({ clientId: "salestrack", secret: "${AUTH_KEYCLOAK_SECRET}" });
    expect(read("deploy/keycloak/salestrack-realm.json")).not.toMatch(/"password"|"credentials"/);
  });

  it("keeps the test users in their own file, for the same realm", () => {
    const testUsers = JSON.parse(read("deploy/keycloak/salestrack-realm.test-users.json")) as {
      realm: string;
      users: { username: string; email: string }[];
    };
    expect(testUsers.realm).toBe(realm.realm);
    expect(testUsers.users.map((u) => u.email).sort()).toEqual([
      "admin@salestrack.local",
      "operator@salestrack.local",
      "viewer@salestrack.local",
    ]);
  });
});

describe("the database roles compose creates (deploy/postgres/init.sql)", () => {
  const sql = read("deploy/postgres/init.sql");

  it("makes a non-superuser owner and a login role that is only salestrack_app", () => {
    expect(sql).toMatch(
      /CREATE ROLE salestrack_owner LOGIN PASSWORD :'owner_password'\s+NOSUPERUSER/,
    );
    expect(sql).toMatch(
      /CREATE ROLE salestrack_app_login LOGIN PASSWORD :'app_password' INHERIT\s+NOSUPERUSER NOBYPASSRLS[^;]*IN ROLE salestrack_app;/,
    );
    expect(sql).toMatch(/ALTER DATABASE salestrack OWNER TO salestrack_owner;/);
  });

  it("reads every password from the environment, none from the file", () => {
    expect(sql).not.toMatch(/PASSWORD\s+'/i);
    for (const v of [
      "SALESTRACK_OWNER_PASSWORD",
      "SALESTRACK_APP_PASSWORD",
      "KEYCLOAK_DB_PASSWORD",
    ]) {
      expect(sql).toContain(`\\getenv`);
      expect(sql).toContain(v);
      expect(services.postgres!.environment![v]).toMatch(/:\?/);
    }
  });
});

describe("build context and npm scripts", () => {
  it("keeps secrets and local state out of the image", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of [".env", ".data", "node_modules", ".next", ".git"]) {
      expect(ignored).toContain(entry);
    }
  });

  it("exec the launcher, so npm hands SIGTERM to it rather than to a shell", () => {
    const { scripts } = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    for (const name of ["start", "start:web", "worker", "dev"]) {
      expect(scripts[name]).toMatch(/^exec node --import tsx scripts\/start\.ts\b/);
    }
  });
});
