/**
 * A contact's history for its page, newest first: the audited actions about it (created,
 * edited with the fields that changed, opted out or back in, restored…), the imports that
 * changed it (from their change lists) and, for an imported contact, the import that made it.
 */
import { listAuditForTarget } from "@/modules/audit/audit.service";
import type { Tx } from "@/server/db/tenant";
import type { ContactView } from "./contacts.schema";
import type { TimelineEntry } from "./contact-timeline.schema";
import { findImportChangesOfContact } from "./contact-timeline.queries";

const LIMIT = 100;
type Change = { field: string; from: unknown; to: unknown };

/** An audit row's before/after as a list of fields that changed. */
function auditChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  const changes: Change[] = [];
  for (const field of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (field === "reason") continue;
    changes.push({ field, from: before?.[field] ?? null, to: after?.[field] ?? null });
  }
  return changes;
}

export async function getContactTimeline({
  tx,
  workspaceId,
  contact,
}: {
  tx: Tx;
  workspaceId: string;
  contact: Pick<ContactView, "id" | "source" | "optInSource" | "createdAt">;
}): Promise<TimelineEntry[]> {
  const audits = await listAuditForTarget({
    tx,
    workspaceId,
    target: { type: "contact", id: contact.id },
    limit: LIMIT,
  });
  const entries: TimelineEntry[] = audits.map((a) => ({
    kind: "audit",
    at: a.createdAt,
    action: a.action,
    actor: a.actorEmail ?? a.actorLabel,
    changes: auditChanges(a.before, a.after),
    reason: typeof a.after?.reason === "string" ? a.after.reason : null,
  }));
  const byImport = new Map<string, Extract<TimelineEntry, { kind: "import" }>>();
  for (const c of await findImportChangesOfContact(tx, workspaceId, contact.id, LIMIT)) {
    const entry = byImport.get(c.importId) ?? {
      kind: "import" as const,
      at: c.at ?? c.startedAt ?? contact.createdAt,
      importId: c.importId,
      fileName: c.fileName,
      changes: [],
    };
    entry.changes.push({ field: c.field, from: c.before, to: c.after });
    byImport.set(c.importId, entry);
  }
  entries.push(...byImport.values());
  // An imported contact has no "created" audit row: its opt-in source names the file.
  if (contact.source === "csv" && !audits.some((a) => a.action === "contact.created")) {
    const fileName = contact.optInSource?.replace(/^csv:/, "") ?? "";
    entries.push({ kind: "imported", at: contact.createdAt, fileName });
  }
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}
