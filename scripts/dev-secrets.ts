import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type DevSecrets = { nextauthSecret: string; clientSecret: string };

/**
 * Secrets for the zero-config start only (local issuer + embedded database): made once,
 * kept under the data dir so sessions survive restarts. Production must set its own.
 */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.resolve(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    nextauthSecret: randomBytes(32).toString("base64url"),
    clientSecret: randomBytes(24).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
