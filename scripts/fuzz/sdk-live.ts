/**
 * The Python SDK under pytest against the running app (issue 12 item 4): after the fuzz run,
 * on the same app, an agent bot of the demo workspace gets a declared action and three tasks;
 * `sdk/python/live_tests` then pulls, heartbeats and settles them, sends signed events, and
 * checks refusals (forged secret, finished lease), all over HTTP like a real agent.
 * pytest comes from PyPI into the same git-ignored virtual environment as schemathesis.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { loadDevSecrets } from "../dev-secrets";
import { FuzzUnavailable, venvBin } from "./venv";

type Fixtures = { botId: string; secret: string; tasks: string[] };

/**
 * The fixtures come from a child process (sdk-fixtures.ts) whose environment is the app's
 * from the start, encryption key included: the app's env module reads it once, at import.
 */
function makeFixtures(appEnv: Record<string, string>, dataDir: string): Fixtures {
  const out = spawnSync(process.execPath, ["--import", "tsx", "scripts/fuzz/sdk-fixtures.ts"], {
    encoding: "utf8",
    env: {
      ...process.env,
      ...appEnv,
      SECRETS_ENCRYPTION_KEY: loadDevSecrets(dataDir).encryptionKey,
    },
  });
  if (out.status !== 0) throw new Error(`sdk fixtures failed: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as Fixtures;
}

export const PYTEST_VERSION = "8.4.2";

function ensurePytest(): string {
  const pip = spawnSync(
    venvBin("pip"),
    ["install", "--quiet", "--disable-pip-version-check", `pytest==${PYTEST_VERSION}`],
    { encoding: "utf8" },
  );
  if (pip.status !== 0) {
    throw new FuzzUnavailable(
      `sdk tests could not install pytest ${PYTEST_VERSION} from PyPI: ${(pip.stderr ?? "").trim().split("\n").pop()}`,
    );
  }
  return venvBin("pytest");
}

/** Runs the live tests; resolves to pytest's exit code. */
export async function runPythonSdkLive(
  baseUrl: string,
  appEnv: Record<string, string> & { DATA_DIR: string },
): Promise<number> {
  const pytest = ensurePytest();
  const fixtures = makeFixtures(appEnv, appEnv.DATA_DIR);
  const child = spawn(pytest, ["-q", "live_tests"], {
    cwd: path.resolve("sdk", "python"),
    stdio: "inherit",
    env: {
      ...process.env,
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONPATH: path.resolve("sdk", "python"),
      SALESTRACK_URL: baseUrl,
      SALESTRACK_BOT_ID: fixtures.botId,
      SALESTRACK_BOT_SECRET: fixtures.secret,
      SALESTRACK_TASK_IDS: fixtures.tasks.join(","),
    },
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}
