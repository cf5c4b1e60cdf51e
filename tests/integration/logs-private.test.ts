/**
 * Logs carry no personal data from failed queries: a real failing insert (Drizzle wraps the
 * pg error with the statement's parameters; pg adds a `detail` quoting the key) logged every
 * way the code base logs errors leaves no phone, name or token in the written line. Neither
 * does an error carrying a live driver object (a pg-boss error once serialised the whole
 * `pg` client). The shipped logger's own output stream is captured, so this is exactly what
 * production would write.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { logger } from "@/lib/logger";
import { contacts } from "@/modules/contacts/contacts.table";
import { authSessions } from "@/server/auth/auth-session.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { errorResponse } from "@/server/http/route-errors";
import { createWorkspace } from "../helpers/fixtures";

const PHONE = "+595981765432";
const NAME = "Rosalinda Privada";
const TOKEN = "at-SECRET-4f9c2d7e1b";

type Captured = { lines: () => string[]; restore: () => void };

/** Swaps the shipped logger's stream (and level) for an in-memory one. */
function captureLogs(): Captured {
  const written: string[] = [];
  const target = logger as unknown as Record<symbol, unknown>;
  const stream = target[pino.symbols.streamSym];
  const level = logger.level;
  target[pino.symbols.streamSym] = { write: (s: string) => written.push(s) };
  logger.level = "info";
  return {
    lines: () => written,
    restore: () => {
      target[pino.symbols.streamSym] = stream;
      logger.level = level;
    },
  };
}

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the statement to fail");
}

describe("logs without personal data", () => {
  let workspaceId: string;
  let capture: Captured;

  beforeAll(async () => {
    workspaceId = (await createWorkspace()).id;
    await systemDb().insert(contacts).values({ workspaceId, phone: PHONE, source: "manual" });
  });

  afterEach(() => capture?.restore());

  afterAll(async () => {
    await closeDatabase();
  });

  it("a failed insert's parameters and pg's detail never reach the log", async () => {
    // Unique violation: params hold phone and name, pg's detail quotes the phone.
    const duplicate = await failure(() =>
      systemDb()
        .insert(contacts)
        .values({ workspaceId, phone: PHONE, nombre: NAME, source: "manual" }),
    );
    // Foreign-key violation: params hold the access token.
    const orphan = await failure(() =>
      systemDb().insert(authSessions).values({
        id: randomUUID(),
        userId: randomUUID(),
        accessToken: TOKEN,
        accessTokenExpiresAt: new Date(),
      }),
    );
    // The test would prove nothing if the errors did not carry the data.
    expect(String((duplicate as Error).message)).toContain(PHONE);
    expect(String((orphan as Error).message)).toContain(TOKEN);

    capture = captureLogs();
    for (const err of [duplicate, orphan]) {
      logger.error({ err }, "query failed");
      logger.error(err as Error);
      logger.warn({ err: (err as Error).message }, "as a message");
      logger.warn({ err: String(err) }, "as a string");
      logger.error({ job: { error: err } }, "nested");
      errorResponse(err, "req-logs"); // the route handlers' path (logs INTERNAL errors)
    }
    const lines = capture.lines();
    expect(lines.length).toBe(12);
    for (const line of lines) {
      expect(line).not.toContain(PHONE);
      expect(line).not.toContain("981765432");
      expect(line).not.toContain(NAME);
      expect(line).not.toContain(TOKEN);
    }
    // What helps to debug stays: the statement, the constraint, the SQLSTATE.
    const first = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(first.err.query).toMatch(/insert into "contact"/);
    expect(first.err.message).toMatch(/params: \[redacted\]/);
    expect(first.err.cause).toMatchObject({
      code: "23505",
      constraint: "contact_workspace_phone_key",
    });
    expect(JSON.stringify(first.err.cause)).not.toContain("detail");
  });

  it("an error carrying a driver object logs the error, not the driver", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const err = Object.assign(new Error("Connection terminated"), { client, code: "57P01" });
      capture = captureLogs();
      logger.error({ err }, "pg-boss error");
      logger.error({ err: { message: "not an Error", client } }, "thrown object");
      logger.info({ pool: client }, "driver in a field");
      const lines = capture.lines();
      expect(lines).toHaveLength(3);
      const password = new URL(process.env.DATABASE_URL!).password;
      for (const line of lines) {
        expect(line.length).toBeLessThan(2_000);
        if (password) expect(line).not.toContain(password);
        expect(line).not.toContain("connectionParameters");
      }
      expect(JSON.parse(lines[0]!).err).toMatchObject({
        type: "Error",
        message: "Connection terminated",
        code: "57P01",
      });
      expect(JSON.parse(lines[2]!).pool).toBe("[Client]");
    } finally {
      await client.end();
    }
  });
});
