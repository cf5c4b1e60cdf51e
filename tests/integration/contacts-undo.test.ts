/**
 * Undo (issue 9 item 14), through the tRPC procedures: a deleted contact comes back whole
 * within the window — same id, values, consent evidence and groups — and only then; an
 * opt-out is undone only by the person who made it, leaving the original opt-in evidence as
 * it was; re-subscribing needs a reason, recorded as new consent evidence.
 */
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { purgeImportUploads } from "@jobs/maintenance/purge-import-uploads.job";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLogs } from "@/modules/audit/audit.table";
import { suppressions } from "@/modules/campaigns/campaigns.table";
import { markOptedOutByPhone } from "@/modules/contacts/contacts-optout";
import { contactTrash } from "@/modules/contacts/contacts.table";
import type { User, Workspace } from "@/modules/workspaces/workspaces.table";
import { closeDatabase, systemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant";
import { stopBoss } from "@/server/queue/boss";
import { createCaller } from "@/server/root";
import { addMember, contextFor, createUser, createWorkspace } from "../helpers/fixtures";

async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toBeInstanceOf(TRPCError);
  return (err as TRPCError).code;
}

const cron = { id: "test", retryCount: 0, signal: new AbortController().signal, data: {} };

describe("contacts: undo delete and opt-out", () => {
  let ws: Workspace;
  let admin: User;
  let operator: User;

  beforeAll(async () => {
    ws = await createWorkspace({ defaultCountry: "PY" });
    [admin, operator] = await Promise.all([createUser(), createUser()]);
    await addMember(ws, admin, "admin", "owner");
    await addMember(ws, operator, "operator");
  });

  afterAll(async () => {
    await stopBoss(2_000);
    await closeDatabase();
  });

  const as = (user: User) => createCaller(contextFor(user, ws.id));
  const suppressionOf = async (phone: string) =>
    (
      await systemDb()
        .select()
        .from(suppressions)
        .where(and(eq(suppressions.workspaceId, ws.id), eq(suppressions.phone, phone)))
    )[0] ?? null;

  it("a deleted contact comes back whole, once, with its groups", async () => {
    const created = await as(admin).contacts.create({
      phone: "0981 111 001",
      nombre: "Ana",
      sustantivo: "Sra.",
      attributes: { ciudad: "Luque" },
      groups: ["Clientes", "VIP"],
      optIn: { source: "formulario web", at: new Date("2026-01-02T03:04:05Z") },
    });
    await as(admin).contacts.delete({ id: created.id });
    expect(await codeOf(as(admin).contacts.get({ id: created.id }))).toBe("NOT_FOUND");

    const restored = await as(admin).contacts.restore({ id: created.id });
    expect(restored).toEqual(created);
    expect(await as(admin).contacts.get({ id: created.id })).toEqual(created);
    // Nothing left to restore.
    expect(await codeOf(as(admin).contacts.restore({ id: created.id }))).toBe("CONFLICT");
    const audit = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, ws.id), eq(auditLogs.action, "contact.restored")));
    expect(audit.map((a) => a.targetId)).toEqual([created.id]);
  });

  it("too late: past the window the contact stays deleted, and the purge removes it", async () => {
    const created = await as(admin).contacts.create({ phone: "0981 111 002", nombre: "Beto" });
    await as(admin).contacts.delete({ id: created.id });
    await systemDb()
      .update(contactTrash)
      .set({ deletedAt: sql`now() - interval '11 minutes'` })
      .where(eq(contactTrash.contactId, created.id));
    expect(await codeOf(as(admin).contacts.restore({ id: created.id }))).toBe("CONFLICT");
    await purgeImportUploads.handle(cron);
    const left = await systemDb()
      .select()
      .from(contactTrash)
      .where(eq(contactTrash.contactId, created.id));
    expect(left).toEqual([]);
  });

  it("a phone taken again meanwhile keeps the deleted contact in the trash", async () => {
    const created = await as(admin).contacts.create({ phone: "0981 111 003", nombre: "Carla" });
    await as(admin).contacts.delete({ id: created.id });
    await as(admin).contacts.create({ phone: "0981 111 003", nombre: "Otra Carla" });
    expect(await codeOf(as(admin).contacts.restore({ id: created.id }))).toBe("CONFLICT");
  });

  it("undoing one's own opt-out restores the contact as it was, original consent included", async () => {
    const created = await as(operator).contacts.create({
      phone: "0981 111 004",
      nombre: "Dario",
      optIn: { source: "visita a la tienda", at: new Date("2026-03-04T05:06:07Z") },
    });
    await as(operator).contacts.optOut({ id: created.id, reason: "Pidió la baja por teléfono" });
    expect(await suppressionOf(created.phone)).not.toBeNull();
    // Someone else cannot undo it.
    expect(await codeOf(as(admin).contacts.undoOptOut({ id: created.id }))).toBe("CONFLICT");

    const undone = await as(operator).contacts.undoOptOut({ id: created.id });
    expect(undone).toMatchObject({
      optedOutAt: null,
      optOutReason: null,
      optInSource: "visita a la tienda",
      optInAt: new Date("2026-03-04T05:06:07Z"),
    });
    expect(await suppressionOf(created.phone)).toBeNull();
  });

  it("a STOP reply cannot be undone from the list; re-subscribing needs a reason, kept as consent", async () => {
    const created = await as(operator).contacts.create({
      phone: "0981 111 005",
      nombre: "Eva",
      optIn: { source: "formulario web" },
    });
    await withTenant({ workspaceId: ws.id }, (tx) =>
      markOptedOutByPhone({ tx, workspaceId: ws.id, phone: created.phone, reason: "STOP" }),
    );
    expect(await codeOf(as(operator).contacts.undoOptOut({ id: created.id }))).toBe("CONFLICT");

    expect(
      await codeOf(
        as(operator).contacts.optIn({ id: created.id } as { id: string; reason: string }),
      ),
    ).toBe("BAD_REQUEST");
    const back = await as(operator).contacts.optIn({
      id: created.id,
      reason: "Volvió a suscribirse por WhatsApp el 5/3",
    });
    expect(back.optedOutAt).toBeNull();
    expect(back.optInSource).toBe("Volvió a suscribirse por WhatsApp el 5/3");
    expect(Date.now() - back.optInAt!.getTime()).toBeLessThan(60_000);
    const [audit] = await systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, created.id), eq(auditLogs.action, "contact.opted_in")));
    // The earlier evidence is in the audit trail.
    expect(audit!.before).toMatchObject({ optInSource: "formulario web" });
  });
});
