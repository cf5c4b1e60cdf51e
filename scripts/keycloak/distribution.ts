import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { KEYCLOAK_ARTIFACT, KEYCLOAK_CACHE_DIR, KEYCLOAK_HOME, KEYCLOAK_VERSION } from "./settings";

/** A missing prerequisite, said in one line (what is needed and how to get it). */
export class KeycloakUnavailable extends Error {}

const ZIP_NAME = `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`;
const ZIP = path.join(KEYCLOAK_CACHE_DIR, ZIP_NAME);
// Maven's default local repository: a zip fetched before is unpacked from there, no Maven run.
const MAVEN_LOCAL_ZIP = path.join(
  homedir(),
  ".m2/repository/org/keycloak/keycloak-quarkus-dist",
  KEYCLOAK_VERSION,
  ZIP_NAME,
);

function run(command: string, args: string[], cwd?: string) {
  const out = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (out.error && (out.error as NodeJS.ErrnoException).code === "ENOENT") return null;
  return out;
}

/** Maven fetches the zip from Maven Central (or its local repository) into the cache. */
function download() {
  const out = run("mvn", [
    "-B",
    "-q",
    "dependency:copy",
    `-Dartifact=${KEYCLOAK_ARTIFACT}`,
    `-DoutputDirectory=${KEYCLOAK_CACHE_DIR}`,
  ]);
  if (!out) {
    throw new KeycloakUnavailable(
      `e2e:keycloak needs Maven (mvn) to fetch ${KEYCLOAK_ARTIFACT}; install maven, or put the zip at ${ZIP}`,
    );
  }
  if (out.status !== 0 || !existsSync(ZIP)) {
    const reason =
      `${out.stdout}${out.stderr}`.match(/\[ERROR\] ([^\n]+)/)?.[1] ?? "no reason given";
    throw new KeycloakUnavailable(
      `e2e:keycloak could not fetch ${KEYCLOAK_ARTIFACT} with Maven (network to Maven Central needed once): ${reason.slice(0, 200)}`,
    );
  }
}

/**
 * The unpacked server, fetched and unpacked on first use. Unpacking goes to a scratch folder
 * that is renamed into place, so an interrupted run never leaves half a server behind.
 */
export function ensureDistribution(): string {
  if (existsSync(path.join(KEYCLOAK_HOME, "bin", "kc.sh"))) return KEYCLOAK_HOME;
  mkdirSync(KEYCLOAK_CACHE_DIR, { recursive: true });
  const zip = existsSync(MAVEN_LOCAL_ZIP) ? MAVEN_LOCAL_ZIP : ZIP;
  if (!existsSync(zip)) download();
  const scratch = path.join(KEYCLOAK_CACHE_DIR, "unpacking");
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch);
  const out = run("unzip", ["-q", zip, "-d", scratch]);
  if (!out) throw new KeycloakUnavailable("e2e:keycloak needs unzip (apt-get install unzip)");
  const unpacked = path.join(scratch, `keycloak-${KEYCLOAK_VERSION}`);
  if (out.status !== 0 || !existsSync(unpacked)) {
    // A download of ours that does not unpack is fetched again next time.
    if (zip === ZIP) rmSync(ZIP, { force: true });
    throw new KeycloakUnavailable(`e2e:keycloak could not unpack ${zip}: ${out.stderr.trim()}`);
  }
  renameSync(unpacked, KEYCLOAK_HOME);
  rmSync(scratch, { recursive: true, force: true });
  return KEYCLOAK_HOME;
}
