import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { nextNotification } from "@/server/realtime/notifications";
import { TERMINAL_STATUSES } from "./import/import-view";
import { listImportChanges } from "./imports-changes.service";
import { rereadUpload } from "./imports-preview.service";
import { importDryRunForReal } from "./imports-real-run.service";
import {
  importChangesInput,
  importIdInput,
  listImportsInput,
  rereadInput,
  startImportInput,
} from "./imports.schema";
import { cancelImport, getImport, listImports, startImport } from "./imports.service";

const read = requirePermission("contacts:read");
const write = requirePermission("contacts:write");

export const importsRouter = createTRPCRouter({
  list: read
    .input(listImportsInput)
    .query(({ ctx, input }) => listImports({ workspaceId: ctx.workspace.id, ...input })),

  get: read
    .input(importIdInput)
    .query(({ ctx, input }) =>
      getImport({ workspaceId: ctx.workspace.id, importId: input.importId }),
    ),

  start: write.input(startImportInput).mutation(({ ctx, input }) => {
    const { importId, ...options } = input;
    return startImport({ workspaceId: ctx.workspace.id, importId, options });
  }),

  /** The preview read again with another encoding or delimiter. */
  reread: write
    .input(rereadInput)
    .mutation(({ ctx, input: { importId, ...override } }) =>
      rereadUpload({ workspaceId: ctx.workspace.id, importId, ...override }),
    ),

  /** After a dry run: the same stored file, mapping and mode, imported for real. */
  runForReal: write.input(importIdInput).mutation(({ ctx, input }) =>
    importDryRunForReal({
      workspaceId: ctx.workspace.id,
      importId: input.importId,
      userId: ctx.user.id,
    }),
  ),

  /** The first field changes of an import (the whole list is the CSV download). */
  changes: read
    .input(importChangesInput)
    .query(({ ctx, input }) => listImportChanges({ workspaceId: ctx.workspace.id, ...input })),

  cancel: write.input(importIdInput).mutation(({ ctx, input }) =>
    cancelImport({
      workspaceId: ctx.workspace.id,
      importId: input.importId,
      userId: ctx.user.id,
    }),
  ),

  /**
   * Live progress over SSE: pushed on each committed batch, polled every 2 s as a floor.
   * Access is checked before the stream starts (NOT_FOUND, not a mid-stream failure).
   */
  progress: read.input(importIdInput).subscription(async ({ ctx, input, signal }) => {
    const read = () => getImport({ workspaceId: ctx.workspace.id, importId: input.importId });
    let view = await read();
    return (async function* () {
      let last = "";
      for (;;) {
        const key = JSON.stringify([view.status, view.counts]);
        if (key !== last) {
          last = key;
          yield view;
        }
        if (TERMINAL_STATUSES.has(view.status) || signal?.aborted) return;
        await nextNotification("contact_import", input.importId, 2000, signal);
        view = await read();
      }
    })();
  }),
});
