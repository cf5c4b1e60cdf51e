/**
 * The contacts REST API through the real route handlers and Postgres: CRUD, validation
 * errors in the API's error shape, and tenant isolation — a key only ever sees its own
 * workspace, whatever ids it sends.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as contactRoute from "@/app/api/v1/contacts/[id]/route";
import * as contactsRoute from "@/app/api/v1/contacts/route";
import { auditLogs } from "@/modules/audit/audit.table";
import { contacts } from "@/modules/contacts/contacts.table";
import type { Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createWorkspace } from "../helpers/fixtures";
import { call, keyFor, type ErrorBody } from "./api-helpers";

type ContactJson = {
  id: string;
  phone: string;
  nombre: string | null;
  sustantivo: string | null;
  source: string;
  attributes: Record<string, string>;
  groups: { id: string; name: string }[];
  createdAt: string;
};
type PageJson = {
  data: ContactJson[];
  page: number;
  pageSize: number;
  total: number;
  totalIsEstimate: boolean;
};

describe("REST /api/v1/contacts", () => {
  let wsA: Workspace;
  let wsB: Workspace;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    [wsA, wsB] = await Promise.all([
      createWorkspace({ defaultCountry: "PY" }),
      createWorkspace({ defaultCountry: "AR" }),
    ]);
    [keyA, keyB] = await Promise.all([
      keyFor(wsA.id).then((k) => k.secret),
      keyFor(wsB.id).then((k) => k.secret),
    ]);
  });

  afterAll(async () => {
    await closeDatabase();
  });

  const create = (key: string, json: unknown) =>
    call(contactsRoute.POST, { method: "POST", path: "/contacts", key, json });
  const list = (key: string, query = "") =>
    call(contactsRoute.GET, { path: `/contacts${query}`, key });
  const get = (key: string, id: string) =>
    call(contactRoute.GET, { path: `/contacts/${id}`, key, params: { id } });
  const patch = (key: string, id: string, json: unknown) =>
    call(contactRoute.PATCH, {
      method: "PATCH",
      path: `/contacts/${id}`,
      key,
      json,
      params: { id },
    });
  const remove = (key: string, id: string) =>
    call(contactRoute.DELETE, { method: "DELETE", path: `/contacts/${id}`, key, params: { id } });

  it("creates, reads, lists, updates and deletes a contact", async () => {
    const created = await create(keyA, {
      phone: "0981 555 001",
      nombre: "Ana",
      attributes: { ciudad: "Luque" },
      groups: ["API"],
    });
    expect(created.status).toBe(201);
    const contact = (await created.json()) as ContactJson;
    expect(contact).toMatchObject({ phone: "+595981555001", nombre: "Ana", source: "api" });
    expect(contact.groups.map((g) => g.name)).toEqual(["API"]);
    expect(new Date(contact.createdAt).toString()).not.toBe("Invalid Date");

    const fetched = await get(keyA, contact.id);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as ContactJson).phone).toBe("+595981555001");

    const page = await list(keyA, "?search=Ana&pageSize=10&page=1");
    expect(page.status).toBe(200);
    const body = (await page.json()) as PageJson;
    expect(body).toMatchObject({ page: 1, pageSize: 10, totalIsEstimate: false });
    expect(body.data.map((c) => c.id)).toContain(contact.id);

    const updated = await patch(keyA, contact.id, { sustantivo: "Sra.", groups: [] });
    expect(updated.status).toBe(200);
    expect((await updated.json()) as ContactJson).toMatchObject({
      nombre: "Ana",
      sustantivo: "Sra.",
      groups: [],
    });

    const deleted = await remove(keyA, contact.id);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect((await get(keyA, contact.id)).status).toBe(404);

    // API writes are audited without a user, labelled with the key's prefix.
    const audits = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, wsA.id), eq(auditLogs.targetId, contact.id)));
    expect(audits.map((a) => a.action).sort()).toEqual([
      "contact.created",
      "contact.deleted",
      "contact.updated",
    ]);
    expect(audits.every((a) => a.actorUserId === null)).toBe(true);
    expect(audits.every((a) => /^apikey:st_\w{7}$/.test(a.actorLabel ?? ""))).toBe(true);
  });

  it("answers 400 with fieldErrors for invalid input", async () => {
    const empty = await create(keyA, { phone: "" });
    expect(empty.status).toBe(400);
    const emptyBody = (await empty.json()) as ErrorBody;
    expect(emptyBody.error.code).toBe("BAD_REQUEST");
    expect(emptyBody.error.fieldErrors?.phone?.[0]).toBeTruthy();

    const invalidPhone = (await (await create(keyA, { phone: "12ab34" })).json()) as ErrorBody;
    expect(invalidPhone.error.fieldErrors?.phone?.[0]).toMatch(/letters/i);

    const badAttr = await create(keyA, { phone: "+595981555002", attributes: { "Bad Key": "x" } });
    expect(badAttr.status).toBe(400);
    expect(Object.keys(((await badAttr.json()) as ErrorBody).error.fieldErrors ?? {})[0]).toMatch(
      /^attributes/,
    );

    const notJson = await call(contactsRoute.POST, {
      method: "POST",
      path: "/contacts",
      key: keyA,
      rawBody: "{phone:",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.message).toMatch(/JSON/);

    const badQuery = await list(keyA, "?pageSize=5&sort=banana");
    expect(badQuery.status).toBe(400);
    const queryErrors = ((await badQuery.json()) as ErrorBody).error.fieldErrors ?? {};
    expect(Object.keys(queryErrors).sort()).toEqual(["pageSize", "sort"]);

    const badId = await get(keyA, "not-a-uuid");
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as ErrorBody).error.fieldErrors?.id).toBeTruthy();
  });

  it("answers 409 for a duplicate phone", async () => {
    expect((await create(keyA, { phone: "+595981555010" })).status).toBe(201);
    const dup = await create(keyA, { phone: "0981 555 010" });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as ErrorBody).error.fieldErrors?.phone).toBeTruthy();
  });

  it("normalises phones with the key's workspace country", async () => {
    const res = await create(keyB, { phone: "011 4321 5678" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as ContactJson).phone).toMatch(/^\+54/);
  });

  describe("tenant isolation", () => {
    let secretOfA: ContactJson;

    beforeAll(async () => {
      secretOfA = (await (
        await create(keyA, { phone: "+595981555099", nombre: "Solo de A" })
      ).json()) as ContactJson;
      await create(keyB, { phone: "+5491155550000", nombre: "De B" });
    });

    it("a key of workspace B cannot read, update or delete A's contact (404)", async () => {
      expect((await get(keyB, secretOfA.id)).status).toBe(404);
      const patched = await patch(keyB, secretOfA.id, { nombre: "hacked" });
      expect(patched.status).toBe(404);
      expect(((await patched.json()) as ErrorBody).error.code).toBe("NOT_FOUND");
      expect((await remove(keyB, secretOfA.id)).status).toBe(404);

      const [row] = await systemDb().select().from(contacts).where(eq(contacts.id, secretOfA.id));
      expect(row).toMatchObject({ nombre: "Solo de A", workspaceId: wsA.id });
    });

    it("B's list never includes A's rows, whatever the filters", async () => {
      for (const query of [
        "",
        "?search=Solo",
        "?search=%2B595981555099",
        "?source=api&pageSize=200",
      ]) {
        const body = (await (await list(keyB, query)).json()) as PageJson;
        expect(body.data.map((c) => c.id)).not.toContain(secretOfA.id);
        expect(body.data.every((c) => !c.phone.startsWith("+595"))).toBe(true);
      }
      const all = (await (await list(keyB, "?pageSize=200")).json()) as PageJson;
      const rowsOfB = await systemDb()
        .select({ id: contacts.id })
        .from(contacts)
        .where(eq(contacts.workspaceId, wsB.id));
      expect(all.total).toBe(rowsOfB.length);
    });

    it("B cannot create a contact inside A by sending A's id fields", async () => {
      const res = await create(keyB, { phone: "+5491155550001", workspaceId: wsA.id } as unknown);
      expect(res.status).toBe(201);
      const made = (await res.json()) as ContactJson;
      const [row] = await systemDb().select().from(contacts).where(eq(contacts.id, made.id));
      expect(row!.workspaceId).toBe(wsB.id);
    });
  });

  it("refuses writes to a read-only key (403) and leaves no row behind", async () => {
    const { secret } = await keyFor(wsA.id, ["contacts:read"]);
    const res = await create(secret, { phone: "+595981555077" });
    expect(res.status).toBe(403);
    const rows = await systemDb()
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, wsA.id), eq(contacts.phone, "+595981555077")));
    expect(rows).toHaveLength(0);
  });
});
