import { createReadStream } from "node:fs";
import path from "node:path";
import {
  getImport,
  listRejectedRows,
  startImport,
  storeUpload,
} from "@/modules/contacts/imports.service";
import { TERMINAL_STATUSES } from "@/modules/contacts/import/import-view";
import { getBoss, stopBoss } from "@/server/queue/boss";
import { startWorkers } from "@jobs/worker";
import { CliError, type CliIO } from "../command";
import { findWorkspace } from "../find-workspace";
import type { ContactsImportArgs } from "./contacts-import";

/**
 * Uploads the file, starts the import job and follows it to the end. This process also runs
 * the workers, so it works alone; if a server's worker picks the job up first, we just watch.
 */
export async function run(args: ContactsImportArgs, io: CliIO): Promise<void> {
  const workspace = await findWorkspace(args.workspace);
  if (!workspace) throw new CliError(`No workspace with slug "${args.workspace}"`);
  const workspaceId = workspace.id;
  await startWorkers(await getBoss());
  try {
    const uploaded = await storeUpload({
      workspaceId,
      userId: null,
      fileName: path.basename(args.file),
      body: createReadStream(args.file),
    });
    const d = uploaded.detected;
    io.note(
      `${uploaded.fileName}: ${d?.encoding}, delimiter ${JSON.stringify(d?.delimiter)}, ${d?.hasHeader ? "header row" : "no header (legacy layout)"}`,
    );
    await startImport({
      workspaceId,
      importId: uploaded.id,
      options: { dryRun: args.dryRun },
    });

    let view = await getImport({ workspaceId, importId: uploaded.id });
    while (!TERMINAL_STATUSES.has(view.status)) {
      await new Promise((r) => setTimeout(r, 500));
      view = await getImport({ workspaceId, importId: uploaded.id });
      const c = view.counts;
      if (c && view.status === "running") {
        const eta = view.etaSeconds !== null ? `, ETA ${view.etaSeconds}s` : "";
        io.note(`  ${c.processed} rows, ${view.rate ?? 0} rows/s${eta}`);
      }
    }
    const c = view.counts;
    const rejected = await listRejectedRows({ workspaceId, importId: view.id, limit: 100_000 });
    const summary = {
      importId: view.id,
      status: view.status,
      dryRun: view.dryRun,
      counts: c,
      error: view.errorMessage,
      rejected: rejected.map((r) => ({ row: r.rowNumber, reason: r.reason, raw: r.raw })),
    };
    if (args.json) io.out(JSON.stringify(summary));
    io.note(
      `${view.status}${view.dryRun ? " (dry run: nothing written)" : ""}: ${c?.processed ?? 0} rows — ` +
        `${c?.inserted ?? 0} inserted, ${c?.updated ?? 0} updated, ${c?.unchanged ?? 0} unchanged, ` +
        `${c?.duplicates ?? 0} duplicates, ${c?.invalid ?? 0} invalid`,
    );
    for (const r of summary.rejected.slice(0, 20)) io.note(`  row ${r.row}: ${r.reason}`);
    if (summary.rejected.length > 20)
      io.note(`  … and ${summary.rejected.length - 20} more (use --json)`);
    if (view.status !== "completed")
      throw new CliError(view.errorMessage ?? `import ${view.status}`);
  } finally {
    await stopBoss();
  }
}
