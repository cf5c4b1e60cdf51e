import { defineCommand, requireString, UsageError } from "../command";

export type RestoreArgs = { file: string; into: string; force: boolean };

export const restore = defineCommand<RestoreArgs>({
  name: "restore",
  summary: "Restore a backup (either format) into a new, empty database",
  synopsis: "FILE --into URL [--force]",
  help: [
    "FILE               A file written by `npm run cli -- backup`: pg_dump custom format",
    "                   (restored with pg_restore) or an app archive (restored with COPY);",
    "                   the format is detected from the file.",
    "--into URL         postgres://user:password@host:port/database of an EMPTY database",
    "                   (create it first, e.g. `createdb salestrack_restored`). A database",
    "                   holding app tables or SalesTrack migrations is refused.",
    "--force            Replace what the target holds instead: its public schema's contents",
    "                   and drizzle schema are dropped, pg-boss's jobs and schedules deleted",
    "                   (app archive: in the restore's own transaction, so a failed restore",
    "                   changes nothing). Stop every app process using the target first.",
    "",
    "Objects are owned by the URL's user; the app role (salestrack_app) is created when",
    "missing and granted to that user, as the migrations do. Migrations newer than the",
    "backup are applied afterwards. A pg_dump file needs pg_restore (see `backup --help`).",
  ],
  options: { into: { type: "string" }, force: { type: "boolean" } },
  acceptsPositionals: true,
  parse(values, positionals) {
    if (positionals.length !== 1) throw new UsageError("give exactly one backup FILE");
    const into = requireString(values, "into");
    try {
      const u = new URL(into);
      if (!/^postgres(ql)?:$/.test(u.protocol) || u.pathname.length < 2) throw new Error();
    } catch {
      throw new UsageError("--into must be a postgres://…/database URL");
    }
    return { file: positionals[0]!, into, force: values.force === true };
  },
  needsDatabase: false,
  load: () => import("./restore.run"),
});
