/**
 * Set-based references (drizzle/0006): contact → workspace and membership → contact / group
 * are kept by statement-level triggers instead of per-row foreign keys. They must hold what
 * a foreign key holds: no dangling insert, cascade on delete, no repointing, and the same
 * behaviour against a concurrent delete.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, ownerPool } from "@/server/db/client";
import type { PoolClient } from "pg";
import { openTenantTransaction, withTenantClient } from "@/server/db/tenant";
import { createWorkspace, expectPgError } from "../helpers/fixtures";

const FK_VIOLATION = "23503";

/** Raw SQL in a tenant transaction: the triggers under test see exactly these statements. */
function asTenant<T>(workspaceId: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTenantClient({ workspaceId }, ({ client }) => fn(client));
}

async function newContact(workspaceId: string): Promise<string> {
  return asTenant(workspaceId, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `insert into contact (workspace_id, phone, source) values ($1, $2, 'manual') returning id`,
      [workspaceId, `+5959${Math.floor(Math.random() * 1e8)}`],
    );
    return rows[0]!.id;
  });
}

async function newGroup(workspaceId: string): Promise<string> {
  return asTenant(workspaceId, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      "insert into contact_group (workspace_id, name) values ($1, $2) returning id",
      [workspaceId, `g-${randomUUID()}`],
    );
    return rows[0]!.id;
  });
}

function addMember(workspaceId: string, groupId: string, contactId: string) {
  return asTenant(workspaceId, (c) =>
    c.query(
      "insert into contact_group_member (workspace_id, group_id, contact_id) values ($1, $2, $3)",
      [workspaceId, groupId, contactId],
    ),
  );
}

async function memberCount(where: string, id: string): Promise<number> {
  const { rows } = await ownerPool().query<{ n: number }>(
    `select count(*)::int as n from contact_group_member where ${where} = $1`,
    [id],
  );
  return rows[0]!.n;
}

describe("set-based references", () => {
  let a: Workspace;
  let b: Workspace;

  beforeAll(async () => {
    [a, b] = await Promise.all([createWorkspace(), createWorkspace()]);
  });

  afterAll(async () => {
    await closeDatabase();
  });

  it("refuses a membership whose contact or group does not exist", async () => {
    const contact = await newContact(a.id);
    const group = await newGroup(a.id);
    const noContact = await expectPgError(() => addMember(a.id, group, randomUUID()));
    expect(noContact.code).toBe(FK_VIOLATION);
    expect(noContact.message).toMatch(/contact_id references a row missing from public\.contact/);
    const noGroup = await expectPgError(() => addMember(a.id, randomUUID(), contact));
    expect(noGroup.code).toBe(FK_VIOLATION);
    expect(await memberCount("contact_id", contact)).toBe(0);
  });

  it("checks a whole statement at once: one bad row fails all of it", async () => {
    const [c1, c2] = [await newContact(a.id), await newContact(a.id)];
    const group = await newGroup(a.id);
    const err = await expectPgError(() =>
      asTenant(a.id, (c) =>
        c.query(
          `insert into contact_group_member (workspace_id, group_id, contact_id)
           select $1, $2, unnest($3::uuid[])`,
          [a.id, group, [c1, randomUUID(), c2]],
        ),
      ),
    );
    expect(err.code).toBe(FK_VIOLATION);
    expect(await memberCount("group_id", group)).toBe(0);
  });

  it("treats another workspace's contact as missing for the app role", async () => {
    const foreign = await newContact(b.id);
    const group = await newGroup(a.id);
    const err = await expectPgError(() => addMember(a.id, group, foreign));
    expect(err.code).toBe(FK_VIOLATION);
  });

  it("refuses a contact in a workspace that does not exist", async () => {
    const err = await expectPgError(() =>
      ownerPool().query(
        "insert into contact (workspace_id, phone, source) values ($1, '+595981000001', 'manual')",
        [randomUUID()],
      ),
    );
    expect(err.code).toBe(FK_VIOLATION);
  });

  it("deletes memberships with their contact, and with their group", async () => {
    const [c1, c2] = [await newContact(a.id), await newContact(a.id)];
    const [g1, g2] = [await newGroup(a.id), await newGroup(a.id)];
    await addMember(a.id, g1, c1);
    await addMember(a.id, g2, c1);
    await addMember(a.id, g1, c2);
    await asTenant(a.id, (c) => c.query("delete from contact where id = $1", [c1]));
    expect(await memberCount("contact_id", c1)).toBe(0);
    expect(await memberCount("contact_id", c2)).toBe(1);
    await asTenant(a.id, (c) => c.query("delete from contact_group where id = $1", [g1]));
    expect(await memberCount("contact_id", c2)).toBe(0);
  });

  it("deletes a workspace's contacts and their memberships with the workspace", async () => {
    const ws = await createWorkspace();
    const contact = await newContact(ws.id);
    await addMember(ws.id, await newGroup(ws.id), contact);
    await ownerPool().query("delete from workspace where id = $1", [ws.id]);
    const { rows } = await ownerPool().query<{ n: number }>(
      "select count(*)::int as n from contact where workspace_id = $1",
      [ws.id],
    );
    expect(rows[0]!.n).toBe(0);
    expect(await memberCount("contact_id", contact)).toBe(0);
  });

  it("never repoints a reference", async () => {
    const [c1, c2] = [await newContact(a.id), await newContact(a.id)];
    const group = await newGroup(a.id);
    await addMember(a.id, group, c1);
    const err = await expectPgError(() =>
      asTenant(a.id, (c) =>
        c.query("update contact_group_member set contact_id = $1 where contact_id = $2", [c2, c1]),
      ),
    );
    expect(err.code).toBe(FK_VIOLATION);
    expect(err.message).toMatch(/contact_id cannot change/);
    // Other columns stay writable.
    await asTenant(a.id, (c) => c.query("update contact set nombre = 'Ana' where id = $1", [c1]));
  });

  it("fails an insert that races a committed delete of its group", async () => {
    const contact = await newContact(a.id);
    const group = await newGroup(a.id);
    const deleter = await openTenantTransaction({ workspaceId: a.id });
    await deleter.client.query("delete from contact_group where id = $1", [group]);
    // Blocks on the deleter's row lock, like a foreign key check would.
    const insert = expectPgError(() => addMember(a.id, group, contact));
    await new Promise((r) => setTimeout(r, 200));
    await deleter.commit();
    expect((await insert).code).toBe(FK_VIOLATION);
  });

  it("makes a delete wait for an uncommitted insert, then cascades it", async () => {
    const contact = await newContact(a.id);
    const group = await newGroup(a.id);
    const inserter = await openTenantTransaction({ workspaceId: a.id });
    await inserter.client.query(
      "insert into contact_group_member (workspace_id, group_id, contact_id) values ($1, $2, $3)",
      [a.id, group, contact],
    );
    let deleted = false;
    const deletion = asTenant(a.id, (c) =>
      c.query("delete from contact_group where id = $1", [group]),
    ).then(() => (deleted = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(deleted).toBe(false);
    await inserter.commit();
    await deletion;
    expect(await memberCount("group_id", group)).toBe(0);
  });
});
