/**
 * The keys agent tokens are signed with, derived (HKDF-SHA256, RFC 5869) from the app's
 * SECRETS_ENCRYPTION_KEY — never the raw key, which seals secrets at rest. Each key of the
 * ring (the current one and, during a key rotation, SECRETS_ENCRYPTION_KEY_PREVIOUS) yields
 * two keys under their own labels: one signs tokens, one fingerprints the bot secret a token
 * was issued with. A token names its signing key by `kid`, so tokens issued before a rotation
 * keep verifying until they expire (an hour at most); new ones are signed with the current key.
 */
import { createHash, hkdfSync } from "node:crypto";
import { env } from "@/env";

const SALT = "salestrack/agent-token";
const SIGNING_INFO = "salestrack agent-token hs256 v1";
const SECRET_VERSION_INFO = "salestrack agent-token secret-version v1";
const KEY_BYTES = 32;

export type AgentTokenKey = {
  /** Names the key in the token header (not secret: a hash of the derived key). */
  kid: string;
  signing: Buffer;
  secretVersion: Buffer;
};

function derive(ikm: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, SALT, info, KEY_BYTES));
}

/** The token keys one base key yields (exported for tests). */
export function deriveAgentTokenKey(baseKey: Buffer): AgentTokenKey {
  const signing = derive(baseKey, SIGNING_INFO);
  const kid = createHash("sha256")
    .update("salestrack-agent-token-kid:")
    .update(signing)
    .digest()
    .subarray(0, 9)
    .toString("base64url");
  return { kid, signing, secretVersion: derive(baseKey, SECRET_VERSION_INFO) };
}

export type AgentTokenKeyRing = {
  current: AgentTokenKey;
  byKid: (kid: string | undefined) => AgentTokenKey | undefined;
};

export function createAgentTokenKeyRing(baseKeys: readonly Buffer[]): AgentTokenKeyRing {
  if (baseKeys.length === 0) throw new Error("agent tokens need at least one key");
  const keys = baseKeys.map(deriveAgentTokenKey);
  const ring = new Map(keys.map((k) => [k.kid, k]));
  return { current: keys[0]!, byKid: (kid) => (kid === undefined ? undefined : ring.get(kid)) };
}

let envRing: AgentTokenKeyRing | null = null;

/** Built on first use from the environment (like the secret box in lib/crypto). */
export function agentTokenKeys(): AgentTokenKeyRing {
  if (envRing) return envRing;
  const current = env.SECRETS_ENCRYPTION_KEY;
  if (!current) {
    throw new Error("SECRETS_ENCRYPTION_KEY is not set: agent tokens cannot be signed or checked");
  }
  const previous = env.SECRETS_ENCRYPTION_KEY_PREVIOUS;
  envRing = createAgentTokenKeyRing(
    [current, ...(previous && previous !== current ? [previous] : [])].map((k) =>
      Buffer.from(k, "base64"),
    ),
  );
  return envRing;
}
