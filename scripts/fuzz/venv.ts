import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Pinned: a new release can add checks that change what a green run means. */
export const SCHEMATHESIS_VERSION = "4.32.5";
const VENV = path.resolve(".cache", "venv-schemathesis");
const STAMP = path.join(VENV, "salestrack-installed.txt");

/** A program of the fuzz virtual environment (after `ensureSchemathesis`). */
export function venvBin(name: string): string {
  return path.join(VENV, "bin", name);
}

/** A missing prerequisite, said in one line. */
export class FuzzUnavailable extends Error {}

function run(command: string, args: string[]) {
  const out = spawnSync(command, args, { encoding: "utf8" });
  if (out.error && (out.error as NodeJS.ErrnoException).code === "ENOENT") return null;
  return out;
}

/**
 * The schemathesis CLI from a virtual environment of its own (git-ignored), created and
 * filled from PyPI on first use, and again whenever the pinned version changes.
 */
export function ensureSchemathesis(): string {
  const st = path.join(VENV, "bin", "st");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === SCHEMATHESIS_VERSION) return st;
  rmSync(VENV, { recursive: true, force: true });
  const venv = run("python3", ["-m", "venv", VENV]);
  if (!venv) throw new FuzzUnavailable("fuzz:api needs python3 (with its venv module)");
  if (venv.status !== 0) {
    throw new FuzzUnavailable(
      `fuzz:api could not create a Python virtual environment (apt-get install python3-venv): ${venv.stderr.trim().split("\n").pop()}`,
    );
  }
  const pip = run(path.join(VENV, "bin", "pip"), [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `schemathesis==${SCHEMATHESIS_VERSION}`,
  ]);
  if (!pip || pip.status !== 0) {
    rmSync(VENV, { recursive: true, force: true });
    throw new FuzzUnavailable(
      `fuzz:api could not install schemathesis ${SCHEMATHESIS_VERSION} from PyPI: ${(pip?.stderr ?? "").trim().split("\n").pop()}`,
    );
  }
  writeFileSync(STAMP, SCHEMATHESIS_VERSION);
  return st;
}
