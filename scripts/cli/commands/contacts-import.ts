import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { defineCommand, requireString, UsageError } from "../command";

export type ContactsImportArgs = {
  workspace: string;
  file: string;
  dryRun: boolean;
  json: boolean;
};

export const contactsImport = defineCommand<ContactsImportArgs>({
  name: "contacts import",
  summary: "Import a CSV of contacts into a workspace (same pipeline as the web upload)",
  synopsis: "FILE --workspace SLUG [--dry-run] [--json]",
  help: [
    "FILE               The CSV (UTF-8, Windows-1252 or UTF-16; , ; or tab; header or legacy",
    "                   headerless numero,sustantivo,nombre,grupo). The detected mapping is used.",
    "--workspace SLUG   The workspace's slug (or id).",
    "--dry-run          Run the whole pipeline but write nothing: report what would happen.",
    "--json             Print the result (counts and rejected rows with reasons) as one JSON",
    "                   object on stdout. Progress always goes to stderr.",
  ],
  options: {
    workspace: { type: "string", short: "w" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  },
  acceptsPositionals: true,
  parse(values, positionals) {
    const [file, ...extra] = positionals;
    if (!file) throw new UsageError("FILE is required");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const resolved = path.resolve(file);
    if (!existsSync(resolved) || !statSync(resolved).isFile())
      throw new UsageError(`no such file: ${file}`);
    return {
      workspace: requireString(values, "workspace"),
      file: resolved,
      dryRun: values["dry-run"] === true,
      json: values.json === true,
    };
  },
  needsDatabase: true,
  load: () => import("./contacts-import.run"),
});
