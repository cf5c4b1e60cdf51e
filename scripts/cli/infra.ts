/**
 * Infrastructure for a CLI run, resolved BEFORE anything imports src/env.ts (which parses
 * process.env once): DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR —
 * reused when the app already runs it, started (and stopped afterwards) when not.
 */
import path from "node:path";
import { z } from "zod";
import { startEmbeddedPostgres, type EmbeddedHandle } from "@/server/db/embedded";
import { runMigrations } from "@/server/db/migrate";

// The few variables needed before src/env.ts may be loaded; same names and defaults as there.
const early = z.object({
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54320),
});

type Log = (line: string) => void;

export async function prepareDatabase({
  note,
  verbose,
  migrate = true,
}: {
  note: Log;
  verbose: boolean;
  migrate?: boolean;
}) {
  const blankToUndefined = (v: string | undefined) => (v === "" ? undefined : v);
  const cfg = early.parse({
    DATABASE_URL: blankToUndefined(process.env.DATABASE_URL),
    DATA_DIR: blankToUndefined(process.env.DATA_DIR),
    EMBEDDED_PG_PORT: blankToUndefined(process.env.EMBEDDED_PG_PORT),
  });
  let embedded: EmbeddedHandle | null = null;
  let url = cfg.DATABASE_URL;
  if (!url) {
    const logger = {
      info: (obj: object, msg?: string) => verbose && note(`${msg ?? ""} ${JSON.stringify(obj)}`),
      warn: (obj: object, msg?: string) => note(`warning: ${msg ?? ""} ${JSON.stringify(obj)}`),
    };
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(cfg.DATA_DIR),
      port: cfg.EMBEDDED_PG_PORT,
      database: "salestrack",
      logger,
    });
    url = embedded.url;
    process.env.DATABASE_URL = url;
  }
  if (migrate) await runMigrations(url);
  return { stop: () => embedded?.stop() ?? Promise.resolve() };
}
