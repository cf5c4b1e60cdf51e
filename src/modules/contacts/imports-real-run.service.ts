import { importContacts } from "@jobs/contacts/import.job";
import { enqueue } from "@jobs/enqueue";
import { AppError } from "@/lib/errors";
import { withTenant } from "@/server/db/tenant";
import { toImportView } from "./import/import-view";
import { markUnqueued, queueRealRun, type ImportRef } from "./imports.queries";
import type { ImportView } from "./imports.schema";

/**
 * "Import for real" after a dry run: a new import of the same stored file with the same
 * mapping, header choice and mode, queued at once — no second upload. Once per dry run.
 */
export async function importDryRunForReal({
  userId,
  ...dry
}: ImportRef & { userId: string | null }): Promise<ImportView> {
  const real = await withTenant({ workspaceId: dry.workspaceId }, (tx) =>
    queueRealRun(tx, dry, userId),
  );
  if (!real) throw new AppError("CONFLICT", "import.notRerunnable");
  const ref = { workspaceId: dry.workspaceId, importId: real.id };
  try {
    await enqueue(importContacts, ref);
  } catch (err) {
    // Not queued after all: it waits in its preview, to be started from there.
    await withTenant({ workspaceId: dry.workspaceId }, (tx) => markUnqueued(tx, ref));
    throw err;
  }
  return toImportView(real);
}
