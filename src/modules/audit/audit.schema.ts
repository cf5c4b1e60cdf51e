import { z } from "zod";

export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "workspace.created",
  "workspace.updated",
  "member.added",
  "member.role_changed",
  "member.role_synced",
  "member.removed",
  "invitation.created",
  "invitation.revoked",
  "invitation.accepted",
  "contact.created",
  "contact.updated",
  "contact.deleted",
  "contact.opted_out",
  "contact.opted_in",
  "contact.restored",
  "contact.opt_out_undone",
  "contact.bulk_deleted",
  "contact.bulk_opted_out",
  "contact.bulk_grouped",
  "contact.bulk_ungrouped",
  "contact.exported",
  "group.created",
  "group.renamed",
  "group.deleted",
  "import.started",
  "import.completed",
  "import.failed",
  "import.canceled",
  "apikey.created",
  "apikey.revoked",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number] | (string & {});

export const listAuditInput = z.object({
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(5).max(100).default(25),
  action: z.string().max(64).optional(),
  actorUserId: z.uuid().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type ListAuditInput = z.infer<typeof listAuditInput>;
