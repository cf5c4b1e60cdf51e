import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** Java releases Keycloak 26 supports (its "Supported configurations" guide). */
export const SUPPORTED_JAVA = [17, 21, 25];
const JVM_DIR = "/usr/lib/jvm";

function majorVersion(javaHome: string): number | null {
  const java = path.join(javaHome, "bin", "java");
  if (!existsSync(java)) return null;
  const out = spawnSync(java, ["-XshowSettings:properties", "-version"], { encoding: "utf8" });
  const match = /java\.specification\.version = (\d+)/.exec(`${out.stderr}${out.stdout}`);
  return match ? Number(match[1]) : null;
}

/**
 * A JDK Keycloak runs on: KEYCLOAK_JAVA_HOME, then JAVA_HOME, then the newest supported JDK
 * under /usr/lib/jvm. One set to an unsupported release is passed over, not used.
 */
export function findKeycloakJava(): { home: string; version: number } | null {
  const explicit = [process.env.KEYCLOAK_JAVA_HOME, process.env.JAVA_HOME];
  const installed = existsSync(JVM_DIR)
    ? readdirSync(JVM_DIR).map((name) => path.join(JVM_DIR, name))
    : [];
  const supported = (home: string | undefined) => {
    const version = home ? majorVersion(home) : null;
    return home && version && SUPPORTED_JAVA.includes(version) ? { home, version } : null;
  };
  for (const home of explicit) {
    const found = supported(home);
    if (found) return found;
  }
  const usable = installed.map(supported).filter((c) => c !== null);
  return usable.sort((a, b) => b.version - a.version)[0] ?? null;
}
