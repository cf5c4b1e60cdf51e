import { workspacesWithEvents } from "@/modules/campaigns/stats-reads.service";
import { rebuildStats } from "@/modules/stats/fold.service";
import { CliError, type CliIO } from "../command";
import { findWorkspace } from "../find-workspace";
import type { RollupsRebuildArgs } from "./rollups-rebuild";

export async function run(args: RollupsRebuildArgs, io: CliIO): Promise<void> {
  let ids: string[];
  if (args.workspace) {
    const workspace = await findWorkspace(args.workspace);
    if (!workspace) throw new CliError(`No workspace with slug "${args.workspace}"`);
    ids = [workspace.id];
  } else {
    ids = await workspacesWithEvents(null);
  }
  for (const workspaceId of ids) {
    const started = Date.now();
    const { events } = await rebuildStats({ workspaceId });
    io.out(`${workspaceId}\t${events}`);
    io.note(`Rebuilt ${workspaceId}: ${events} events in ${Date.now() - started} ms.`);
  }
  if (ids.length === 0) io.note("No workspace has message events: nothing to rebuild.");
}
