import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { env } from "@/env";

/**
 * Secrets at rest (bot credentials): AES-256-GCM with the key from SECRETS_ENCRYPTION_KEY.
 *
 * Token format: `v1.<kid>.<iv>.<tag>.<ciphertext>`, every part base64url.
 * - `v1` names the format, so a later one (another cipher, a KDF) can be read side by side.
 * - `kid` is a short fingerprint of the key that sealed it, so rotation can keep the previous
 *   key in the ring for decryption while everything is re-encrypted under the new one.
 * - The version, kid and optional caller context are the GCM additional data: a token moved
 *   to another row (when sealed with a context such as the bot id) or with an edited header
 *   fails to open.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Secret could not be decrypted: ${reason}`);
    this.name = "SecretDecryptionError";
  }
}

export type SecretBox = {
  encrypt(plaintext: string, context?: string): string;
  decrypt(token: string, context?: string): string;
};

function keyId(key: Buffer): string {
  return createHash("sha256")
    .update("salestrack-secret-key:")
    .update(key)
    .digest()
    .subarray(0, 6)
    .toString("base64url");
}

function additionalData(kid: string, context: string | undefined): Buffer {
  return Buffer.from(`${VERSION}.${kid}.${context ?? ""}`, "utf8");
}

/**
 * A box over a key ring: seals with the first key, opens with whichever key the token names.
 * Exported for rotation tooling and tests; the app uses the env-backed functions below.
 */
export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  if (keys.length === 0) throw new Error("createSecretBox needs at least one key");
  for (const key of keys) {
    if (key.length !== KEY_BYTES) throw new Error(`encryption keys must be ${KEY_BYTES} bytes`);
  }
  const ring = new Map(keys.map((key) => [keyId(key), key]));
  const current = keys[0]!;
  const currentKid = keyId(current);

  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(additionalData(currentKid, context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        currentKid,
        iv.toString("base64url"),
        tag.toString("base64url"),
        ciphertext.toString("base64url"),
      ].join(".");
    },

    decrypt(token, context) {
      const parts = token.split(".");
      if (parts.length !== 5) throw new SecretDecryptionError("malformed token");
      const [version, kid, ivPart, tagPart, ctPart] = parts as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (version !== VERSION) throw new SecretDecryptionError(`unknown format ${version}`);
      const key = ring.get(kid);
      if (!key) throw new SecretDecryptionError("sealed with a key that is not configured");
      const iv = Buffer.from(ivPart, "base64url");
      const tag = Buffer.from(tagPart, "base64url");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new SecretDecryptionError("malformed token");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(kid, context));
        decipher.setAuthTag(tag);
        const plaintext = Buffer.concat([
          decipher.update(Buffer.from(ctPart, "base64url")),
          decipher.final(),
        ]);
        return plaintext.toString("utf8");
      } catch {
        throw new SecretDecryptionError("wrong key, wrong context or tampered data");
      }
    },
  };
}

let envBox: SecretBox | null = null;

// Built on first use, not at import: modules that merely import this file (and tools that
// never touch credentials) keep working on a machine without the key.
function box(): SecretBox {
  if (envBox) return envBox;
  const encoded = env.SECRETS_ENCRYPTION_KEY;
  if (!encoded) {
    throw new Error(
      "SECRETS_ENCRYPTION_KEY is not set: bot credentials cannot be encrypted or read " +
        "(generate one with `openssl rand -base64 32`)",
    );
  }
  // During a rotation the previous key stays in the ring to open what it sealed; everything
  // new is sealed under the current key (the ring's first).
  const previous = env.SECRETS_ENCRYPTION_KEY_PREVIOUS;
  envBox = createSecretBox(
    [encoded, ...(previous && previous !== encoded ? [previous] : [])].map((k) =>
      Buffer.from(k, "base64"),
    ),
  );
  return envBox;
}

/** Encrypts a secret for storage. `context` (e.g. the owning row's id) must match on decrypt. */
export function encryptSecret(plaintext: string, context?: string): string {
  return box().encrypt(plaintext, context);
}

/** Opens a token from `encryptSecret`; throws `SecretDecryptionError` if it was altered. */
export function decryptSecret(token: string, context?: string): string {
  return box().decrypt(token, context);
}

export function encryptJson(value: unknown, context?: string): string {
  return encryptSecret(JSON.stringify(value), context);
}

/** Opens a token from `encryptJson`; with a schema the value is validated before it is used. */
export function decryptJson<T>(token: string, schema: z.ZodType<T>, context?: string): T;
export function decryptJson(token: string, schema?: undefined, context?: string): unknown;
export function decryptJson<T>(token: string, schema?: z.ZodType<T>, context?: string): unknown {
  const value: unknown = JSON.parse(decryptSecret(token, context));
  return schema ? schema.parse(value) : value;
}

/**
 * A random secret, `<prefix><base64 of N bytes>`. With "whsec_" and 32 bytes this is the
 * Standard Webhooks secret format (the `standardwebhooks` package strips the prefix and
 * base64-decodes the rest).
 */
export function generateSecret(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString("base64")}`;
}
