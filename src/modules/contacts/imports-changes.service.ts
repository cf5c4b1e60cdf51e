import { withTenant } from "@/server/db/tenant";
import { findImportChanges, type ImportRef } from "./imports.queries";

/** The first `limit` field changes an import made (or, for a dry run, would make). */
export function listImportChanges({ limit, ...ref }: ImportRef & { limit: number }) {
  return withTenant({ workspaceId: ref.workspaceId }, (tx) =>
    findImportChanges(tx, ref, null, limit),
  );
}
