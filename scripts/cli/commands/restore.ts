import { defineCommand, requireString, UsageError } from "../command";

export type RestoreArgs = { file: string; into: string };

export const restore = defineCommand<RestoreArgs>({
  name: "restore",
  summary: "Restore a backup into a new, empty database",
  synopsis: "FILE --into URL",
  help: [
    "FILE               A file written by `npm run cli -- backup`.",
    "--into URL         postgres://user:password@host:port/database of an EMPTY database",
    "                   (create it first, e.g. `createdb salestrack_restored`). A database",
    "                   holding any table is refused: restore never overwrites.",
    "",
    "Objects are owned by the URL's user; the app role (salestrack_app) is created when",
    "missing and granted to that user, as the migrations do. Migrations newer than the",
    "backup are applied afterwards. Uses the newest pg_restore found (see `backup --help`).",
  ],
  options: { into: { type: "string" } },
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
    return { file: positionals[0]!, into };
  },
  needsDatabase: false,
  load: () => import("./restore.run"),
});
