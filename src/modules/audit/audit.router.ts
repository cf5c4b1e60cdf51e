import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { AUDIT_ACTIONS, listAuditInput } from "./audit.schema";
import { listAudit } from "./audit.service";

export const auditRouter = createTRPCRouter({
  list: requirePermission("audit:read")
    .input(listAuditInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listAudit({ tx, workspaceId: ctx.workspace.id, input })),
    ),

  actions: requirePermission("audit:read").query(() => [...AUDIT_ACTIONS]),
});
