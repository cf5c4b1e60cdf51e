/**
 * `npm run fuzz:api [-- schemathesis options]`: schemathesis against the running app's OpenAPI
 * document, with a real API key, every operation, positive and negative cases.
 *
 * Starts a fresh app (own port, data dir and database), makes an API key with the CLI, counts
 * what fuzzed requests can write, runs schemathesis (no 5xx, status codes, content types and
 * response bodies as documented, invalid input refused), then checks that every row written
 * is explained by a successful response (invariants.ts). Reports land in .cache/fuzz/.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { prepareDatabase } from "../cli/infra";
import {
  createApiKey,
  FUZZ_APP_ENV,
  FUZZ_APP_URL,
  FUZZ_DIR,
  startApp,
  stopApp,
  waitForApp,
} from "./app";
import { countRows, expectedChanges, unexplainedChanges } from "./invariants";
import { runPythonSdkLive } from "./sdk-live";
import { ensureSchemathesis, FuzzUnavailable } from "./venv";

const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "negative_data_rejection",
];
// A fixed seed keeps CI repeatable; pass `-- --seed N` to explore further.
const DEFAULT_ARGS = ["--seed", "20261202", "--max-examples", "30"];

function schemathesis(st: string, apiKey: string, extra: string[]): Promise<number> {
  const args = [
    "run",
    `${FUZZ_APP_URL}/api/v1/openapi.json`,
    "--header",
    `Authorization: Bearer ${apiKey}`,
    "--mode",
    "all",
    "--checks",
    CHECKS.join(","),
    "--report",
    "har",
    "--report-har-path",
    path.join(FUZZ_DIR, "requests.har"),
    "--request-timeout",
    "15",
    ...(extra.length > 0 ? extra : DEFAULT_ARGS),
  ];
  const child = spawn(st, args, { stdio: "inherit", env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  let st: string;
  try {
    st = ensureSchemathesis();
  } catch (err) {
    if (!(err instanceof FuzzUnavailable)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const started = Date.now();
  const app = startApp();
  try {
    await waitForApp(app, 300_000);
    process.stdout.write(`App ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
    Object.assign(process.env, FUZZ_APP_ENV);
    const db = await prepareDatabase({ note: () => undefined, verbose: false, migrate: false });
    const databaseUrl = process.env.DATABASE_URL!;
    const apiKey = createApiKey();
    const before = await countRows(databaseUrl);
    const fuzzStarted = Date.now();
    const code = await schemathesis(st, apiKey, process.argv.slice(2));
    process.stdout.write(`schemathesis took ${Math.round((Date.now() - fuzzStarted) / 1000)} s\n`);
    const after = await countRows(databaseUrl);
    const unexplained = unexplainedChanges(
      before,
      after,
      expectedChanges(path.join(FUZZ_DIR, "requests.har")),
    );
    for (const line of unexplained) process.stderr.write(`half-stored write? ${line}\n`);
    if (unexplained.length === 0) {
      process.stdout.write("Every row written is explained by a successful response.\n");
    }
    // Then the Python SDK under pytest, on the same app (after the row accounting above).
    const sdkStarted = Date.now();
    const sdk = await runPythonSdkLive(FUZZ_APP_URL, FUZZ_APP_ENV);
    process.stdout.write(
      `Python SDK live tests (pytest) took ${Math.round((Date.now() - sdkStarted) / 1000)} s\n`,
    );
    await db.stop();
    return code !== 0 ? code : unexplained.length > 0 ? 1 : sdk;
  } finally {
    await stopApp(app);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
