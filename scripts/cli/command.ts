/**
 * What a CLI subcommand is. A definition is imported before the environment is final, so it
 * holds only the name, help, option parsing and a lazy `load` of the code that does the work
 * (which may import anything under src/, including src/env.ts).
 */
import type { ParseArgsOptionsConfig } from "node:util";

export type CliIO = {
  /** The command's result (a secret, an id…): nothing else goes to stdout. */
  out: (line: string) => void;
  /** Notes for the human at the terminal. */
  note: (line: string) => void;
};

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export type CommandDefinition<A> = {
  /** Words that select the command, e.g. "apikey create". */
  name: string;
  summary: string;
  /** Synopsis after the command name, e.g. "--workspace SLUG --name NAME". */
  synopsis: string;
  /** Lines describing each option, printed by --help. */
  help: string[];
  options: ParseArgsOptionsConfig;
  /** Whether words after the command name (e.g. a file path) are passed to `parse`. */
  acceptsPositionals?: boolean;
  /** Checks the options before any infrastructure starts; throws UsageError. */
  parse: (values: OptionValues, positionals: string[]) => A;
  /** Needs the database (DATABASE_URL, or the embedded Postgres started for the run). */
  needsDatabase: boolean;
  /** Apply pending migrations before running (default true; a backup takes it as it is). */
  migrate?: boolean;
  load: () => Promise<{ run: (args: A, io: CliIO) => Promise<void> }>;
};

/** Exit code 2: the command line is wrong; the usage is printed with the message. */
export class UsageError extends Error {}

/** Exit code 1: the command was understood but could not be done. */
export class CliError extends Error {}

export function defineCommand<A>(def: CommandDefinition<A>): CommandDefinition<unknown> {
  return def as CommandDefinition<unknown>;
}

export function requireString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`--${name} is required`);
  }
  return value.trim();
}
