import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** Signing keys and cookie secrets of the local issuer, kept across restarts. */
export type IssuerKeys = {
  jwks: { keys: JsonWebKey[] };
  cookieKeys: string[];
};

const FILE_NAME = "local-issuer-keys.json";

function isIssuerKeys(value: unknown): value is IssuerKeys {
  const v = value as Partial<IssuerKeys> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.jwks?.keys) &&
    v.jwks.keys.length > 0 &&
    Array.isArray(v.cookieKeys) &&
    v.cookieKeys.length > 0
  );
}

function generateKeys(): IssuerKeys {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: randomUUID(),
    alg: "RS256",
    use: "sig",
  };
  return { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString("base64url")] };
}

/**
 * Persisting the keys keeps sessions and already-issued tokens valid when the dev server
 * restarts (a new key would log everybody out and break cached JWKS in the app).
 */
export async function loadOrCreateKeys(dataDir: string): Promise<IssuerKeys> {
  const file = path.join(dataDir, FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isIssuerKeys(parsed)) return parsed;
    // Never overwrite silently: the file may hold keys someone still relies on.
    throw new Error(`${file} is not a valid local issuer key file; delete it to regenerate`);
  }
  const keys = generateKeys();
  await mkdir(dataDir, { recursive: true });
  // Write-then-rename so a crash never leaves a half-written key file behind.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await rename(tmp, file);
  return keys;
}
