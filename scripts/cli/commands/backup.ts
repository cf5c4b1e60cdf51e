import { defineCommand, UsageError } from "../command";

export type BackupArgs = { out: string | null };

export const backup = defineCommand<BackupArgs>({
  name: "backup",
  summary: "Back up the app database to a pg_dump custom-format file",
  synopsis: "[--out FILE]",
  help: [
    "--out FILE         Where to write the backup. Default:",
    "                   backups/salestrack-<UTC date-time>.dump (folder created if missing).",
    "",
    "Backs up DATABASE_URL's database, or the embedded PostgreSQL under DATA_DIR (started for",
    "the run when the app is not running). Uses the newest pg_dump found whose major version",
    "is at least the server's (PG_BIN_DIR first, then PATH and the usual install folders).",
    "Prints the file's path on stdout. Restore with `npm run cli -- restore FILE --into URL`.",
  ],
  options: { out: { type: "string", short: "o" } },
  parse(values) {
    const out = values.out;
    if (out !== undefined && (typeof out !== "string" || out.trim() === "")) {
      throw new UsageError("--out needs a file name");
    }
    return { out: typeof out === "string" ? out.trim() : null };
  },
  needsDatabase: true,
  // A backup is of the database as it is: never migrate it first.
  migrate: false,
  load: () => import("./backup.run"),
});
