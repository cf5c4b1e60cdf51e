/**
 * CSV imports over REST: the multipart upload is streamed into storage and queued (202),
 * option fields are validated before anything is stored, media type errors keep their
 * status, and an import is only visible to keys of its own workspace.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getImportRoute } from "@/app/api/v1/contacts/imports/[id]/route";
import { POST as uploadRoute } from "@/app/api/v1/contacts/imports/route";
import { contactImports } from "@/modules/contacts/contacts.table";
import type { Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { createWorkspace } from "../helpers/fixtures";
import { call, keyFor, type ErrorBody } from "./api-helpers";

type ImportJson = {
  id: string;
  status: string;
  dryRun: boolean;
  fileName: string;
  fileSize: number;
};

const CSV = "telefono,nombre\n0981000001,Ana\n0981000002,Beto\n";

function form(
  fields: Record<string, string>,
  file: { name: string; body: string | Uint8Array<ArrayBuffer>; type?: string },
) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append("file", new Blob([file.body], { type: file.type ?? "text/csv" }), file.name);
  return data;
}

describe("REST /api/v1/contacts/imports", () => {
  let wsA: Workspace;
  let wsB: Workspace;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    [wsA, wsB] = await Promise.all([createWorkspace(), createWorkspace()]);
    keyA = (await keyFor(wsA.id)).secret;
    keyB = (await keyFor(wsB.id)).secret;
  });

  afterAll(async () => {
    await stopBoss(2_000);
    await closeDatabase();
  });

  const upload = (key: string, body: BodyInit, headers?: Record<string, string>) =>
    call(uploadRoute, { method: "POST", path: "/contacts/imports", key, rawBody: body, headers });
  const importsOf = (workspaceId: string) =>
    systemDb().select().from(contactImports).where(eq(contactImports.workspaceId, workspaceId));

  it("stores the file, queues the import and answers 202; the import can be polled", async () => {
    const res = await upload(keyA, form({ dryRun: "true" }, { name: "clientes.csv", body: CSV }));
    expect(res.status).toBe(202);
    const view = (await res.json()) as ImportJson;
    expect(view).toMatchObject({ fileName: "clientes.csv", fileSize: CSV.length, dryRun: true });
    expect(["queued", "running", "completed"]).toContain(view.status);
    expect(res.headers.get("location")).toBe(`/api/v1/contacts/imports/${view.id}`);

    const polled = await call(getImportRoute, {
      path: `/contacts/imports/${view.id}`,
      key: keyA,
      params: { id: view.id },
    });
    expect(polled.status).toBe(200);
    expect(((await polled.json()) as ImportJson).id).toBe(view.id);
  });

  it("validates the option fields before storing anything", async () => {
    const before = (await importsOf(wsA.id)).length;
    const res = await upload(
      keyA,
      form({ mapping: '[{"kind":"nope"}]' }, { name: "a.csv", body: CSV }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(Object.keys(body.error.fieldErrors ?? {})[0]).toMatch(/^mapping/);
    const notJson = await upload(keyA, form({ mapping: "{oops" }, { name: "a.csv", body: CSV }));
    expect(((await notJson.json()) as ErrorBody).error.fieldErrors?.mapping).toEqual([
      "Not valid JSON",
    ]);
    expect((await importsOf(wsA.id)).length).toBe(before);
  });

  it("takes the import mode as a field, and refuses an unknown one", async () => {
    const res = await upload(
      keyA,
      form({ mode: "fillEmpty", dryRun: "true" }, { name: "m.csv", body: CSV }),
    );
    expect(res.status).toBe(202);
    expect(((await res.json()) as ImportJson & { mode: string }).mode).toBe("fillEmpty");
    const bad = await upload(keyA, form({ mode: "replaceAll" }, { name: "m.csv", body: CSV }));
    expect(bad.status).toBe(400);
  });

  it("answers 415 for a non-multipart body and for a binary file", async () => {
    const json = await upload(keyA, "{}", { "content-type": "application/json" });
    expect(json.status).toBe(415);
    expect(((await json.json()) as ErrorBody).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");

    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0, 0, 0, 0,
    ]);
    const binary = await upload(
      keyA,
      form({}, { name: "photo.csv", body: png, type: "image/png" }),
    );
    expect(binary.status).toBe(415);
  });

  it("requires the imports:write scope", async () => {
    const { secret } = await keyFor(wsA.id, ["contacts:read", "contacts:write"]);
    const res = await upload(secret, form({}, { name: "a.csv", body: CSV }));
    expect(res.status).toBe(403);
  });

  it("a key of another workspace cannot see the import (404)", async () => {
    const res = await upload(keyA, form({}, { name: "b.csv", body: CSV }));
    const view = (await res.json()) as ImportJson;
    const other = await call(getImportRoute, {
      path: `/contacts/imports/${view.id}`,
      key: keyB,
      params: { id: view.id },
    });
    expect(other.status).toBe(404);
    expect((await importsOf(wsB.id)).map((i) => i.id)).not.toContain(view.id);
  });
});
