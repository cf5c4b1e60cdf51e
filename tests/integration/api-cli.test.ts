/**
 * `npm run cli -- apikey create`, run as a real child process against the test database:
 * prints only the key on stdout, the key authenticates to the right workspace with the asked
 * scopes, and bad command lines exit 2 while failures exit 1.
 */
import { spawn } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/modules/apikeys/apikeys.table";
import { authenticateApiKey } from "@/modules/apikeys/apikeys.service";
import { auditLogs } from "@/modules/audit/audit.table";
import type { Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createWorkspace } from "../helpers/fixtures";

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { LOG_LEVEL: _ignored, ...env } = process.env;
    const child = spawn("npx", ["tsx", "scripts/cli.ts", ...args], {
      env: { ...env, DATABASE_URL: process.env.DATABASE_URL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("CLI: apikey create", () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await createWorkspace();
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it(
    "prints only the new key on stdout, and the key authenticates to the workspace",
    { timeout: 60_000 },
    async () => {
      const run = await cli([
        "apikey",
        "create",
        "--workspace",
        ws.slug,
        "--name",
        "CLI key",
        "--scopes",
        "contacts:read,imports:write",
      ]);
      expect(run.stderr).toMatch(/not be shown again/);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^st_[0-9A-Za-z]{32,}\n$/);
      const secret = run.stdout.trim();

      const principal = await authenticateApiKey(secret);
      expect(principal).toMatchObject({
        workspaceId: ws.id,
        scopes: ["contacts:read", "imports:write"],
      });
      const [row] = await systemDb()
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.id, principal!.apiKeyId));
      expect(row).toMatchObject({ name: "CLI key", createdBy: null });
      const [audit] = await systemDb()
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.targetId, row!.id), eq(auditLogs.action, "apikey.created")));
      expect(audit).toMatchObject({ actorUserId: null, actorLabel: "cli" });
    },
  );

  it(
    "exits 2 with the usage for a bad command line, before touching the database",
    { timeout: 60_000 },
    async () => {
      const [unknownScope, missingName, unknownCommand] = await Promise.all([
        cli([
          "apikey",
          "create",
          "--workspace",
          ws.slug,
          "--name",
          "x1",
          "--scopes",
          "contacts:delete",
        ]),
        cli(["apikey", "create", "--workspace", ws.slug]),
        cli(["apikey", "destroy"]),
      ]);
      expect(unknownScope.code).toBe(2);
      expect(unknownScope.stderr).toMatch(/unknown scope/);
      expect(missingName.code).toBe(2);
      expect(missingName.stderr).toMatch(
        /--name is required[\s\S]*Usage: npm run cli -- apikey create/,
      );
      expect(unknownCommand.code).toBe(2);
      for (const run of [unknownScope, missingName, unknownCommand]) expect(run.stdout).toBe("");
    },
  );

  it(
    "exits 1 with a clear message when the workspace does not exist",
    { timeout: 60_000 },
    async () => {
      const run = await cli([
        "apikey",
        "create",
        "--workspace",
        "no-such-workspace",
        "--name",
        "x1",
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/No workspace with slug "no-such-workspace"/);
      expect(run.stdout).toBe("");
    },
  );

  it("prints help with exit 0", { timeout: 60_000 }, async () => {
    const run = await cli(["apikey", "create", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--workspace SLUG/);
  });
});
