import { defineCommand, UsageError } from "../command";

export type RollupsRebuildArgs = { workspace: string | null };

export const rollupsRebuild = defineCommand<RollupsRebuildArgs>({
  name: "rollups rebuild",
  summary: "Recompute the dashboard counters from the message events",
  synopsis: "[--workspace SLUG]",
  help: [
    "--workspace SLUG   Only this workspace (slug or id). Default: every workspace with events.",
    "",
    "Each workspace is recomputed in one transaction (its dashboard keeps showing the old",
    "numbers until it commits); the result equals what the stats.fold job keeps incrementally.",
    "Prints one line per workspace: its id and the number of events folded.",
  ],
  options: { workspace: { type: "string", short: "w" } },
  parse(values) {
    const workspace = values.workspace;
    if (workspace !== undefined && (typeof workspace !== "string" || workspace.trim() === "")) {
      throw new UsageError("--workspace needs a slug or id");
    }
    return { workspace: typeof workspace === "string" ? workspace.trim() : null };
  },
  needsDatabase: true,
  load: () => import("./rollups-rebuild.run"),
});
