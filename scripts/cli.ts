/**
 * `npm run cli -- <command> [options]`: a small subcommand dispatcher. It parses the command
 * line, resolves infrastructure (the database) for commands that need it, and only then
 * imports the command's code, so src/env.ts sees the final environment.
 *
 * Exit codes: 0 done, 1 failed (message on stderr), 2 usage error.
 */
import { parseArgs } from "node:util";
import { CliError, UsageError, type CliIO, type CommandDefinition } from "./cli/command";
import { prepareDatabase } from "./cli/infra";
import { renderStoredError } from "@/lib/error-text";
import { COMMANDS } from "./cli/registry";

const io: CliIO = {
  out: (line) => void process.stdout.write(`${line}\n`),
  note: (line) => void process.stderr.write(`${line}\n`),
};

function globalUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: npm run cli -- <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `npm run cli -- <command> --help` for a command's options.",
    "Uses DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR (as `npm start`).",
  ].join("\n");
}

function commandUsage(cmd: CommandDefinition<unknown>): string {
  return [
    `Usage: npm run cli -- ${cmd.name} ${cmd.synopsis}`,
    "",
    cmd.summary,
    "",
    ...cmd.help.map((l) => (l ? `  ${l}` : "")),
    "",
    "  --verbose          Log infrastructure steps (and stack traces) to stderr.",
    "  -h, --help         Show this help.",
  ].join("\n");
}

/** The command whose name words are the longest prefix of the positional arguments. */
function findCommand(argv: string[]) {
  const firstOption = argv.findIndex((a) => a.startsWith("-"));
  const words = firstOption === -1 ? argv : argv.slice(0, firstOption);
  const matches = COMMANDS.filter((c) => c.name.split(" ").every((w, i) => words[i] === w)).sort(
    (a, b) => b.name.length - a.name.length,
  );
  const cmd = matches[0];
  return cmd ? { cmd, rest: argv.slice(cmd.name.split(" ").length) } : null;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    const named = argv[0] === "help" ? findCommand(argv.slice(1)) : null;
    (argv.length === 0 ? io.note : io.out)(named ? commandUsage(named.cmd) : globalUsage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.note(
      `error: unknown command "${argv.filter((a) => !a.startsWith("-")).join(" ")}"\n\n${globalUsage()}`,
    );
    return 2;
  }
  const { cmd, rest } = found;

  let args: unknown;
  let verbose = false;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        ...cmd.options,
        help: { type: "boolean", short: "h" },
        verbose: { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      io.out(commandUsage(cmd));
      return 0;
    }
    if (!cmd.acceptsPositionals && positionals.length > 0) {
      throw new UsageError(`unexpected argument "${positionals[0]}"`);
    }
    verbose = values.verbose === true;
    args = cmd.parse(values, positionals);
  } catch (err) {
    const parseError = String((err as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
    if (!(err instanceof UsageError) && !parseError) throw err;
    io.note(`error: ${(err as Error).message}\n\n${commandUsage(cmd)}`);
    return 2;
  }

  // The app's pino logs go to stdout, which belongs to the command's result here.
  process.env.LOG_LEVEL ??= "silent";
  const infra = cmd.needsDatabase
    ? await prepareDatabase({ note: io.note, verbose, migrate: cmd.migrate ?? true })
    : null;
  try {
    const { run } = await cmd.load();
    await run(args, io);
    return 0;
  } finally {
    if (cmd.needsDatabase) {
      const { closeDatabase } = await import("@/server/db/client");
      await closeDatabase().catch(() => undefined);
    }
    await infra?.stop().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const appError = err instanceof Error && err.name === "AppError";
    const known = err instanceof CliError || appError;
    // An AppError's message is its error code: the CLI speaks English.
    const text = err instanceof Error ? err.message : String(err);
    io.note(`error: ${appError ? renderStoredError(text, "en") : text}`);
    if (!known && err instanceof Error && process.argv.includes("--verbose"))
      io.note(err.stack ?? "");
    process.exit(1);
  },
);
