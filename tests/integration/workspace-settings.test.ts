/**
 * Workspace country and time zone (issue 9 item 2): only ISO 3166-1 countries and IANA zones
 * are saved, through tRPC and REST alike; anything else is a 400 with its error code on the
 * field, and the workspace keeps its settings (no half-saved "XX" that breaks every phone).
 */
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH } from "@/app/api/v1/workspace/route";
import { auditLogs } from "@/modules/audit/audit.table";
import { workspaces, type User, type Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";
import { call, keyFor } from "./api-helpers";

type RestError = {
  error: {
    code: string;
    key: string;
    message: string;
    fieldErrors?: Record<string, string[]>;
    fieldErrorKeys?: Record<string, { key: string }[]>;
  };
};

let ws: Workspace;
let admin: User;

async function settingsOf(id: string) {
  const [row] = await systemDb().select().from(workspaces).where(eq(workspaces.id, id));
  return { defaultCountry: row!.defaultCountry, timeZone: row!.timeZone };
}

async function updatesAudited(id: string) {
  return systemDb()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.workspaceId, id), eq(auditLogs.action, "workspace.updated")));
}

beforeAll(async () => {
  ws = await createWorkspace({ defaultCountry: "PY" });
  admin = await createUser();
  await addMember(ws, admin, "admin", "owner");
});

afterAll(async () => {
  await closeDatabase();
});

describe("workspace settings: country and time zone", () => {
  const valid = { name: "Acme", defaultCountry: "PY", timeZone: "America/Asuncion" };

  it("tRPC refuses an unknown country or zone with its code on the field, saving nothing", async () => {
    const caller = createCaller(contextFor(admin, ws.id));
    for (const [input, field, key] of [
      [{ ...valid, defaultCountry: "XX" }, "defaultCountry", "workspace.countryUnknown"],
      [{ ...valid, defaultCountry: "EU" }, "defaultCountry", "workspace.countryUnknown"],
      [{ ...valid, timeZone: "Mars/Olympus" }, "timeZone", "workspace.timeZoneUnknown"],
    ] as const) {
      const err = await caller.workspaces.updateSettings(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("BAD_REQUEST");
      const fields = (
        (err as TRPCError).cause as unknown as { issues: { path: string[]; message: string }[] }
      ).issues;
      expect(fields.map((i) => [i.path.join("."), i.message])).toEqual([[field, key]]);
    }
    expect(await settingsOf(ws.id)).toEqual({ defaultCountry: "PY", timeZone: "America/Asuncion" });
    expect(await updatesAudited(ws.id)).toHaveLength(0);

    const saved = await caller.workspaces.updateSettings({ ...valid, defaultCountry: "uy" });
    expect(saved.defaultCountry).toBe("UY");
  });

  it("REST refuses XX with 400, the code and its English text, and saves nothing", async () => {
    const { secret } = await keyFor(ws.id, ["settings:write"]);
    const before = await settingsOf(ws.id);
    const res = await call(PATCH, {
      method: "PATCH",
      path: "/workspace",
      key: secret,
      json: { defaultCountry: "XX" },
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as RestError;
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.fieldErrorKeys).toEqual({ defaultCountry: [{ key: "workspace.countryUnknown" }] });
    expect(error.fieldErrors?.defaultCountry?.[0]).toMatch(/^Choose a country from the list/);
    expect(await settingsOf(ws.id)).toEqual(before);
  });

  it("REST changes the country and zone, audited as the key", async () => {
    const { secret, key } = await keyFor(ws.id, ["settings:write"]);
    const res = await call(PATCH, {
      method: "PATCH",
      path: "/workspace",
      key: secret,
      json: { defaultCountry: "ar", timeZone: "America/Argentina/Buenos_Aires" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      name: "Acme",
      defaultCountry: "AR",
      timeZone: "America/Argentina/Buenos_Aires",
    });
    const audit = (await updatesAudited(ws.id)).find(
      (a) => a.actorLabel === `apikey:${key.prefix}`,
    );
    expect(audit?.actorUserId).toBeNull();
    expect(audit?.after).toMatchObject({ defaultCountry: "AR" });
  });

  it("REST needs the settings:write scope", async () => {
    const { secret } = await keyFor(ws.id, ["contacts:read", "contacts:write"]);
    const res = await call(PATCH, {
      method: "PATCH",
      path: "/workspace",
      key: secret,
      json: { defaultCountry: "PY" },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as RestError).error.key).toBe("apiKey.scopeMissing");
    expect((await settingsOf(ws.id)).defaultCountry).toBe("AR");
  });
});
