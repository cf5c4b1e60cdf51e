import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createSecretBox, SecretDecryptionError } from "./crypto";

// The static import serves the key-ring cases; env-backed cases re-import (and compare against
// that copy's error class).

const KEY = Buffer.alloc(32, 7).toString("base64");

// env.ts reads process.env once at import, so each case imports crypto.ts afresh.
async function loadCrypto() {
  vi.resetModules();
  return import("./crypto");
}

beforeEach(() => {
  vi.stubEnv("SKIP_ENV_VALIDATION", undefined);
  vi.stubEnv("SECRETS_ENCRYPTION_KEY", KEY);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

function flipChar(part: string): string {
  const c = part[0] === "A" ? "B" : "A";
  return c + part.slice(1);
}

describe("encryptSecret / decryptSecret", () => {
  it("round-trips any text, including unicode and the empty string", async () => {
    const { encryptSecret, decryptSecret } = await loadCrypto();
    for (const text of ["EAAG-token", "", 'ñandú 🦤 \n\t"quoted"']) {
      expect(decryptSecret(encryptSecret(text))).toBe(text);
    }
  });

  it("uses a fresh IV every time, so equal secrets never give equal tokens", async () => {
    const { encryptSecret } = await loadCrypto();
    const tokens = Array.from({ length: 50 }, () => encryptSecret("same"));
    expect(new Set(tokens).size).toBe(50);
    expect(new Set(tokens.map((t) => t.split(".")[2])).size).toBe(50);
  });

  it("writes the versioned format v1.<kid>.<iv>.<tag>.<ciphertext> and never the plaintext", async () => {
    const { encryptSecret } = await loadCrypto();
    const token = encryptSecret("plain-secret-value");
    expect(token).toMatch(/^v1\.[\w-]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(token).not.toContain("plain");
  });

  it("throws on any tampered part", async () => {
    const { encryptSecret, decryptSecret, SecretDecryptionError } = await loadCrypto();
    const token = encryptSecret("s3cret");
    const parts = token.split(".");
    for (let i = 1; i < parts.length; i++) {
      const bad = parts.map((p, j) => (j === i ? flipChar(p) : p)).join(".");
      expect(() => decryptSecret(bad), `part ${i}`).toThrow(SecretDecryptionError);
    }
    expect(() => decryptSecret(`v2.${parts.slice(1).join(".")}`)).toThrow(/unknown format/);
    expect(() => decryptSecret("garbage")).toThrow(/malformed/);
  });

  it("binds a token to its context", async () => {
    const { encryptSecret, decryptSecret, SecretDecryptionError } = await loadCrypto();
    const token = encryptSecret("s3cret", "bot-1");
    expect(decryptSecret(token, "bot-1")).toBe("s3cret");
    expect(() => decryptSecret(token, "bot-2")).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(token)).toThrow(SecretDecryptionError);
  });

  it("refuses to work without a key, naming the variable", async () => {
    vi.stubEnv("SECRETS_ENCRYPTION_KEY", undefined);
    const { encryptSecret } = await loadCrypto();
    expect(() => encryptSecret("x")).toThrow(/SECRETS_ENCRYPTION_KEY is not set/);
  });

  it("cannot open a token sealed under another key", async () => {
    const { encryptSecret } = await loadCrypto();
    const token = encryptSecret("s3cret");
    vi.stubEnv("SECRETS_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
    const other = await loadCrypto();
    expect(() => other.decryptSecret(token)).toThrow(/not configured/);
  });
});

describe("SECRETS_ENCRYPTION_KEY_PREVIOUS", () => {
  it("opens what the previous key sealed, and seals only under the current key", async () => {
    const { encryptSecret } = await loadCrypto();
    const old = encryptSecret("s3cret", "ctx");
    const next = randomBytes(32).toString("base64");
    vi.stubEnv("SECRETS_ENCRYPTION_KEY", next);
    vi.stubEnv("SECRETS_ENCRYPTION_KEY_PREVIOUS", KEY);
    const rotating = await loadCrypto();
    expect(rotating.decryptSecret(old, "ctx")).toBe("s3cret");
    const fresh = rotating.encryptSecret("s3cret", "ctx");
    expect(fresh.split(".")[1]).not.toBe(old.split(".")[1]);
    // Once the previous key is removed, only what was re-sealed still opens.
    vi.stubEnv("SECRETS_ENCRYPTION_KEY_PREVIOUS", undefined);
    const rotated = await loadCrypto();
    expect(rotated.decryptSecret(fresh, "ctx")).toBe("s3cret");
    expect(() => rotated.decryptSecret(old, "ctx")).toThrow(/not configured/);
  });
});

describe("createSecretBox key ring", () => {
  it("seals with the first key and still opens tokens of the previous one", () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = createSecretBox([oldKey]).encrypt("rotate-me");
    const ring = createSecretBox([newKey, oldKey]);
    expect(ring.decrypt(before)).toBe("rotate-me");
    const after = ring.encrypt("rotate-me");
    expect(createSecretBox([newKey]).decrypt(after)).toBe("rotate-me");
    expect(() => createSecretBox([oldKey]).decrypt(after)).toThrow(SecretDecryptionError);
  });

  it("rejects keys of the wrong size", () => {
    expect(() => createSecretBox([randomBytes(16)])).toThrow(/32 bytes/);
  });
});

describe("encryptJson / decryptJson", () => {
  it("round-trips JSON and validates with a schema", async () => {
    const { encryptJson, decryptJson } = await loadCrypto();
    const token = encryptJson({ accessToken: "EAAG", n: 1 });
    expect(decryptJson(token)).toEqual({ accessToken: "EAAG", n: 1 });
    const schema = z.object({ accessToken: z.string() });
    expect(decryptJson(token, schema)).toEqual({ accessToken: "EAAG" });
    expect(() => decryptJson(token, z.object({ apiKey: z.string() }))).toThrow();
  });
});

describe("generateSecret", () => {
  it("makes Standard Webhooks secrets the standardwebhooks package accepts", async () => {
    const { generateSecret } = await loadCrypto();
    const secret = generateSecret("whsec_");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret("whsec_")).not.toBe(secret);

    const wh = new Webhook(secret);
    const at = new Date();
    const signature = wh.sign("msg_1", at, '{"a":1}');
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    };
    expect(wh.verify('{"a":1}', headers)).toEqual({ a: 1 });
  });
});
