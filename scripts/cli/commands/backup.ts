import { defineCommand, UsageError } from "../command";

export const BACKUP_FORMATS = ["pgdump", "app"] as const;
export type BackupFormat = (typeof BACKUP_FORMATS)[number];
export type BackupArgs = { out: string | null; format: BackupFormat | null };

export const backup = defineCommand<BackupArgs>({
  name: "backup",
  summary: "Back up the app database (pg_dump custom format, or the app archive without pg_dump)",
  synopsis: "[--format pgdump|app] [--out FILE]",
  help: [
    "--format pgdump    pg_dump's custom format, for pg_restore. Needs a pg_dump whose major",
    "                   version is at least the server's (PG_BIN_DIR first, then PATH and",
    "                   the usual install folders).",
    "--format app       The app archive: the app's tables, migration level, sequences and",
    "                   pending jobs, streamed with COPY into gzip; needs no client tools.",
    "                   Default: pgdump when a compatible pg_dump is found, else app (the",
    "                   embedded PostgreSQL 18 ships no pg_dump). The one used is printed.",
    "--out FILE         Where to write it. Default: backups/salestrack-<UTC date-time>.dump",
    "                   (pgdump) or .archive.gz (app); the folder is created if missing.",
    "",
    "Backs up DATABASE_URL's database, or the embedded PostgreSQL under DATA_DIR (started for",
    "the run when the app is not running), from one consistent snapshot. Prints the file's",
    "path on stdout. Restore either format with `npm run cli -- restore FILE --into URL`.",
  ],
  options: { out: { type: "string", short: "o" }, format: { type: "string" } },
  parse(values) {
    const out = values.out;
    if (out !== undefined && (typeof out !== "string" || out.trim() === "")) {
      throw new UsageError("--out needs a file name");
    }
    const format = values.format;
    if (format !== undefined && !BACKUP_FORMATS.includes(format as BackupFormat)) {
      throw new UsageError("--format must be pgdump or app");
    }
    return {
      out: typeof out === "string" ? out.trim() : null,
      format: (format as BackupFormat | undefined) ?? null,
    };
  },
  needsDatabase: true,
  // A backup is of the database as it is: never migrate it first.
  migrate: false,
  load: () => import("./backup.run"),
});
