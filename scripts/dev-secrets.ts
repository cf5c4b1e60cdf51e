import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type DevSecrets = { nextauthSecret: string; clientSecret: string; encryptionKey: string };

/**
 * Secrets for the zero-config start only (local issuer + embedded database): made once,
 * kept under the data dir so sessions survive restarts. Production must set its own.
 */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.resolve(dataDir, "dev-secrets.json");
  const stored: Partial<DevSecrets> = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>)
    : {};
  const secrets: DevSecrets = {
    nextauthSecret: stored.nextauthSecret ?? randomBytes(32).toString("base64url"),
    clientSecret: stored.clientSecret ?? randomBytes(24).toString("base64url"),
    // Encrypts bot credentials at rest; kept with the data it protects (.data/).
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString("base64"),
  };
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
