/**
 * A NUL character (U+0000) in any string input is the caller's 400 with the field named —
 * never a 500 from Postgres, which cannot store it. Checked once for every tRPC procedure (a
 * middleware on the base procedure, proven here by calling every procedure of the router),
 * for the REST readers (query, JSON body, multipart fields), and as a backstop for a query
 * that still reaches the database. A malformed workspace cookie is ignored, not a 500.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listContactsRoute, POST as createContactRoute } from "@/app/api/v1/contacts/route";
import { POST as createCampaignRoute } from "@/app/api/v1/campaigns/route";
import { POST as uploadRoute } from "@/app/api/v1/contacts/imports/route";
import { toPublicError } from "@/lib/errors";
import { readWorkspaceCookie } from "@/lib/workspace-cookie";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { stopBoss } from "@/server/queue/boss";
import { appRouter, createCaller } from "@/server/root";
import { sql } from "drizzle-orm";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";
import { storedUploadsIn } from "../helpers/import";
import { call, keyFor, type ErrorBody } from "./api-helpers";

/** The NUL refusal: its code for the UI, its English text for REST and the tRPC message. */
const NUL_REF = { key: "input.nul" };
const NUL_MESSAGE = "Text cannot contain the NUL character (\\u0000)";

const NUL = "\u0000";

describe("NUL characters in input", () => {
  let ws: Workspace;
  let admin: User;
  let key: string;

  beforeAll(async () => {
    [ws, admin] = await Promise.all([createWorkspace(), createUser()]);
    await addMember(ws, admin, "admin", "owner");
    key = (
      await keyFor(ws.id, ["contacts:read", "contacts:write", "imports:write", "campaigns:write"])
    ).secret;
  });

  afterAll(async () => {
    await stopBoss(2_000);
    await closeDatabase();
  });

  it("every tRPC procedure refuses a NUL before its input parser and its auth rule", async () => {
    const procedures = Object.keys(
      (appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures,
    );
    expect(procedures.length).toBeGreaterThan(30);
    const caller = createCaller(contextFor(admin, ws.id)) as unknown as Record<string, unknown>;
    for (const path of procedures) {
      const fn = path
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
      const err = await (fn as (input: unknown) => Promise<unknown>)({
        name: `a${NUL}b`,
        nested: { list: ["ok", `x${NUL}`] },
      }).then(
        () => null,
        (e: unknown) => e as { code?: string; cause?: { fieldErrors?: Record<string, unknown> } },
      );
      expect(err?.code, path).toBe("BAD_REQUEST");
      expect(err?.cause?.fieldErrors, path).toEqual({
        name: [NUL_REF],
        "nested.list.1": [NUL_REF],
      });
    }
  });

  it("over HTTP the tRPC answer is a 400 with fieldErrors (not a 500)", async () => {
    const handle = (path: string, input: unknown, method: "GET" | "POST") => {
      const encoded = JSON.stringify(superjson.serialize(input));
      const url = `http://localhost/api/trpc/${path}${method === "GET" ? `?input=${encodeURIComponent(encoded)}` : ""}`;
      return fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(url, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "POST" ? encoded : undefined,
        }),
        router: appRouter,
        createContext: () => contextFor(admin, ws.id),
      });
    };
    for (const [path, input, method] of [
      ["contacts.list", { search: `ana${NUL}` }, "GET"],
      ["groups.create", { name: `VIP${NUL}` }, "POST"],
      ["workspaces.create", { name: `Acme${NUL}` }, "POST"],
      ["contacts.create", { phone: "0981123456", attributes: { city: `x${NUL}` } }, "POST"],
    ] as const) {
      const res = await handle(path, input, method);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as {
        error: { json: { message: string; data: { fieldErrors: Record<string, string[]> } } };
      };
      expect(body.error.json.message, path).toBe(NUL_MESSAGE);
      expect(Object.keys(body.error.json.data.fieldErrors).length, path).toBe(1);
    }
  });

  it("REST: query strings, JSON bodies and multipart fields answer 400 naming the field", async () => {
    const list = await call(listContactsRoute, { path: "/contacts?search=ana%00", key });
    expect(list.status).toBe(400);
    expect(((await list.json()) as ErrorBody).error.fieldErrors).toEqual({
      search: [NUL_MESSAGE],
    });

    const created = await call(createContactRoute, {
      method: "POST",
      path: "/contacts",
      key,
      json: { phone: "0981123456", nombre: `Ana${NUL}`, groups: ["ok", `V${NUL}`] },
    });
    expect(created.status).toBe(400);
    expect(((await created.json()) as ErrorBody).error.fieldErrors).toEqual({
      nombre: [NUL_MESSAGE],
      "groups.1": [NUL_MESSAGE],
    });

    const campaign = await call(createCampaignRoute, {
      method: "POST",
      path: "/campaigns",
      key,
      json: { name: `Promo${NUL}`, templates: [{ kind: "text", body: "Hola" }], botIds: [] },
    });
    expect(campaign.status).toBe(400);
    expect(((await campaign.json()) as ErrorBody).error.fieldErrors).toMatchObject({
      name: [NUL_MESSAGE],
    });

    const data = new FormData();
    data.append("dryRun", `true${NUL}`);
    data.append("file", new Blob(["telefono\n0981000001\n"], { type: "text/csv" }), "a.csv");
    const upload = await call(uploadRoute, {
      method: "POST",
      path: "/contacts/imports",
      key,
      rawBody: data,
    });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as ErrorBody).error.fieldErrors).toEqual({
      dryRun: [NUL_MESSAGE],
    });
    expect(await storedUploadsIn(ws.id)).toEqual({ imports: 0, chunks: 0 });
  });

  it("a NUL that still reaches Postgres is mapped to a 400, not a 500", async () => {
    for (const statement of [
      sql`select ${`a${NUL}b`}::text`,
      sql`select ${JSON.stringify({ k: `a${NUL}` })}::jsonb`,
    ]) {
      const err = await systemDb()
        .execute(statement)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(err).not.toBeNull();
      expect(toPublicError(err, "req-1")).toMatchObject({
        code: "BAD_REQUEST",
        message: NUL_MESSAGE,
      });
    }
  });

  it("a malformed st_ws cookie is ignored instead of failing the request", () => {
    const id = "0b6f3e2a-8f1e-4f0a-9c5d-2b7a1e4c9d10";
    expect(readWorkspaceCookie(`st_ws=${id}`)).toBe(id);
    for (const cookie of ["st_ws=%E0%A4%A", "st_ws=%", "a=1; st_ws=%ZZ", "st_ws=%00", "st_ws=x"]) {
      expect(() => readWorkspaceCookie(cookie), cookie).not.toThrow();
      expect(readWorkspaceCookie(cookie), cookie).toBeNull();
    }
  });
});
