/**
 * Auditing what matters in contacts (issue 9 item 13): imports (start, finish, cancel with
 * counts), exports (who, filter, rows), groups, edits with only the fields that changed — and
 * the contact page's timeline built from them. Every action has a label in both languages.
 */
import { readFileSync } from "node:fs";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "@/modules/audit/audit.schema";
import { auditLogs } from "@/modules/audit/audit.table";
import { exportContactsCsv } from "@/modules/contacts/contacts-export";
import { cancelImport, startImport } from "@/modules/contacts/imports.service";
import { closeDatabase, systemDb } from "@/server/db/client";
import { createCaller } from "@/server/root";
import { stopBoss } from "@/server/queue/boss";
import { contextFor, TEST_META } from "../helpers/fixtures";
import { claimQueuedJob, freshTenant, importCsv, upload, type Tenant } from "../helpers/import";

describe("audit: imports, exports, groups, edits; the contact timeline", () => {
  let t: Tenant;
  const caller = () => createCaller(contextFor(t.user, t.workspaceId));
  const auditRows = (action: string) =>
    systemDb()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, t.workspaceId), eq(auditLogs.action, action)))
      .orderBy(asc(auditLogs.id));

  beforeAll(async () => {
    t = await freshTenant();
  });

  afterAll(async () => {
    await stopBoss();
    await closeDatabase();
  });

  it("records only the fields an edit changed, and nothing for a save without changes", async () => {
    const c = await caller().contacts.create({
      phone: "0981 300 001",
      nombre: "Ana Pérez",
      sustantivo: "Sra.",
      attributes: { ciudad: "Luque", plan: "básico" },
      groups: ["Norte"],
    });
    await caller().contacts.update({
      id: c.id,
      nombre: "Ana Pérez",
      sustantivo: "Dra.",
      attributes: { ciudad: "Luque", plan: "premium" },
      groups: ["Norte", "VIP"],
    });
    await caller().contacts.update({ id: c.id, nombre: "Ana Pérez", groups: ["vip", "norte"] });
    const [row, ...more] = await auditRows("contact.updated");
    expect(more).toHaveLength(0);
    expect(row!.before).toEqual({
      sustantivo: "Sra.",
      attributes: { plan: "básico" },
      groups: ["Norte"],
    });
    expect(row!.after).toEqual({
      sustantivo: "Dra.",
      attributes: { plan: "premium" },
      groups: ["Norte", "VIP"],
    });
    await caller().contacts.update({ id: c.id, phone: "+595 981 300 002" });
    const [, phone] = await auditRows("contact.updated");
    expect(phone!.before).toEqual({ phone: expect.stringMatching(/^\+595.*001$/) });
    expect(JSON.stringify(phone!.after)).not.toContain("981300002");
  });

  it("audits group create, rename and delete", async () => {
    const g = await caller().groups.create({ name: "Feria" });
    await caller().groups.rename({ id: g.id, name: "Feria 2026" });
    await caller().groups.delete({ id: g.id });
    expect((await auditRows("group.created"))[0]!.after).toEqual({ name: "Feria" });
    const [renamed] = await auditRows("group.renamed");
    expect([renamed!.before, renamed!.after]).toEqual([{ name: "Feria" }, { name: "Feria 2026" }]);
    expect((await auditRows("group.deleted"))[0]!.targetId).toBe(g.id);
  });

  it("audits an import's start and finish with its counts, and a cancel", async () => {
    const csv =
      "numero;nombre\n0981 300 002;Ana María Pérez\n0981 300 010;Luis Gómez\nxx;Sin número\n";
    const done = await importCsv(t, csv, { fileName: "feria.csv" });
    const [started] = await auditRows("import.started");
    expect(started).toMatchObject({ actorUserId: t.userId, targetId: done.id });
    expect(started!.after).toMatchObject({ fileName: "feria.csv", dryRun: false });
    const [finished] = await auditRows("import.completed");
    expect(finished).toMatchObject({ actorUserId: null, actorLabel: "system", targetId: done.id });
    expect(finished!.after).toMatchObject({
      fileName: "feria.csv",
      counts: { inserted: 1, updated: 1, invalid: 1 },
    });

    const other = await upload(t, "numero\n0981 300 020\n", { fileName: "otra.csv" });
    await startImport({
      workspaceId: t.workspaceId,
      importId: other.id,
      options: { dryRun: false },
    });
    expect(await claimQueuedJob(other.id)).toBe(true);
    await cancelImport({ workspaceId: t.workspaceId, importId: other.id, userId: t.userId });
    const [canceled] = await auditRows("import.canceled");
    expect(canceled).toMatchObject({ targetId: other.id, actorUserId: t.userId });
    expect(canceled!.after).toMatchObject({ fileName: "otra.csv" });
  });

  it("audits an export: who, the filter and the rows sent", async () => {
    const stream = exportContactsCsv({
      workspaceId: t.workspaceId,
      filters: { search: "ana" },
      actorUserId: t.userId,
      meta: TEST_META,
    });
    const text = await new Response(stream).text();
    expect(text).toContain("Ana María Pérez");
    const [exported] = await auditRows("contact.exported");
    expect(exported).toMatchObject({ actorUserId: t.userId, ip: TEST_META.ip });
    expect(exported!.after).toEqual({ filters: { search: "ana" }, rows: 1 });
  });

  it("tells a contact's story on its timeline, newest first", async () => {
    const [ana] = (await caller().contacts.list({ search: "ana maria" })).rows;
    await caller().contacts.optOut({ id: ana!.id, reason: "Pidió la baja" });
    const timeline = await caller().contacts.timeline({ id: ana!.id });
    expect(timeline.map((e) => (e.kind === "audit" ? e.action : e.kind))).toEqual([
      "contact.opted_out",
      "import",
      "contact.updated",
      "contact.updated",
      "contact.created",
    ]);
    expect(timeline[0]).toMatchObject({ reason: "Pidió la baja", actor: t.user.email });
    expect(timeline[1]).toMatchObject({
      kind: "import",
      fileName: "feria.csv",
      changes: [{ field: "nombre", from: "Ana Pérez", to: "Ana María Pérez" }],
    });
    const [imported] = (await caller().contacts.list({ search: "gomez" })).rows;
    const story = await caller().contacts.timeline({ id: imported!.id });
    expect(story).toEqual([expect.objectContaining({ kind: "imported", fileName: "feria.csv" })]);
  });

  it("has a readable label for every audited action in both languages", () => {
    for (const locale of ["es", "en"]) {
      const labels = JSON.parse(readFileSync(`messages/${locale}.json`, "utf8")).audit
        .actionLabels as Record<string, Record<string, string>>;
      for (const action of AUDIT_ACTIONS) {
        const [area, verb] = action.split(".");
        expect(labels[area!]?.[verb!], `${locale}: ${action}`).toBeTruthy();
      }
    }
  });
});
