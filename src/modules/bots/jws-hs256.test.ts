import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { JWS_MAX_LENGTH, JwsError, signJws, verifyJws, type JwsFailure } from "./jws-hs256";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const KEY = Buffer.alloc(32, 7);
const OTHER = Buffer.alloc(32, 8);
const only = (key: Buffer) => () => key;

function refusal(token: string, keyFor: (kid?: string) => Buffer | undefined = only(KEY)) {
  try {
    verifyJws(token, keyFor);
  } catch (err) {
    if (err instanceof JwsError) return err.reason;
    throw err;
  }
  return "accepted";
}

/** A token with any header, signed with `key` over exactly what it carries. */
function forge(header: unknown, claims: unknown, key = KEY): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

describe("HS256 compact JWS", () => {
  it("verifies the RFC 7515 appendix A.1 example", () => {
    const key = Buffer.from(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
      "base64url",
    );
    const token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" +
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    expect(verifyJws(token, only(key))).toEqual({
      header: { typ: "JWT", alg: "HS256" },
      claims: { iss: "joe", exp: 1300819380, "http://example.com/is_root": true },
    });
    expect(refusal(token, only(KEY))).toBe("signature");
  });

  it("signs what it verifies, naming the key", () => {
    const token = signJws({ sub: "bot", n: 1 }, KEY, "k1");
    let asked: string | undefined;
    const { header, claims } = verifyJws(token, (kid) => ((asked = kid), KEY));
    expect(asked).toBe("k1");
    expect(header).toEqual({ alg: "HS256", typ: "JWT", kid: "k1" });
    expect(claims).toEqual({ sub: "bot", n: 1 });
    expect(token.split(".")).toHaveLength(3);
    expect(token).not.toContain("=");
  });

  it("refuses another key, and an unknown kid without computing anything", () => {
    const token = signJws({ sub: "bot" }, KEY, "k1");
    expect(refusal(token, only(OTHER))).toBe("signature");
    expect(refusal(token, () => undefined)).toBe("key");
  });

  it("refuses any edit of the header, the claims or the signature", () => {
    const token = signJws({ sub: "bot", scope: "tasks:pull" }, KEY);
    const [h, c, s] = token.split(".") as [string, string, string];
    const widened = b64({ sub: "bot", scope: "tasks:pull tasks:result" });
    expect(refusal(`${h}.${widened}.${s}`)).toBe("signature");
    const flipped = `${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
    expect(refusal(`${h}.${c}.${flipped}`)).toBe("signature");
    expect(refusal(`${b64({ alg: "HS256", typ: "JWT", kid: "x" })}.${c}.${s}`)).toBe("signature");
    const bytes = Buffer.from(s, "base64url");
    const short = bytes.subarray(0, 30).toString("base64url");
    const long = Buffer.concat([bytes, bytes]).toString("base64url");
    expect(refusal(`${h}.${c}.${short}`)).toBe("signature");
    expect(refusal(`${h}.${c}.${long}`)).toBe("signature");
  });

  it("accepts HS256 only: none, other HMACs, asymmetric algorithms and case variants are refused", () => {
    const claims = { sub: "bot" };
    const cases: [unknown, JwsFailure][] = [
      [{ alg: "none" }, "algorithm"],
      [{ alg: "None", typ: "JWT" }, "algorithm"],
      [{ alg: "hs256" }, "algorithm"],
      [{ alg: "HS384" }, "algorithm"],
      [{ alg: "HS512" }, "algorithm"],
      [{ alg: "RS256" }, "algorithm"],
      [{ alg: ["HS256"] }, "algorithm"],
      [{ typ: "JWT" }, "algorithm"],
    ];
    for (const [header, reason] of cases) {
      expect(refusal(forge(header, claims)), JSON.stringify(header)).toBe(reason);
    }
    // The classic `alg: none` token: no signature at all.
    expect(refusal(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`)).toBe("algorithm");
  });

  it("refuses critical extensions and odd header fields even when signed", () => {
    expect(refusal(forge({ alg: "HS256", crit: ["exp"], exp: 1 }, {}))).toBe("malformed");
    expect(refusal(forge({ alg: "HS256", typ: "JWE" }, {}))).toBe("malformed");
    expect(refusal(forge({ alg: "HS256", kid: 7 }, {}))).toBe("malformed");
    expect(refusal(forge({ alg: "HS256", typ: "jwt" }, { ok: 1 }))).toBe("accepted");
  });

  it("refuses malformed tokens", () => {
    const token = signJws({ sub: "bot" }, KEY);
    const [h, c, s] = token.split(".") as [string, string, string];
    const malformed = [
      "",
      "abc",
      `${h}.${c}`,
      `${token}.${s}`,
      `${h}.${c}.${s}=`,
      `${h}=.${c}.${s}`,
      `${h}.${c}.${s.replace(/.$/, "+")}`,
      `${h}.${c}.${s.replace(/.$/, "/")}`,
      `.${c}.${s}`,
      `${b64("HS256")}.${c}.${s}`,
      `${Buffer.from("{not json").toString("base64url")}.${c}.${s}`,
      `${h}.${c}.${"A".repeat(JWS_MAX_LENGTH)}`,
    ];
    for (const bad of malformed) expect(refusal(bad), bad.slice(0, 60)).toBe("malformed");
  });

  it("refuses a second spelling of the same signature bytes", () => {
    const token = signJws({ sub: "bot" }, KEY);
    const [h, c, s] = token.split(".") as [string, string, string];
    // 32 bytes are 43 characters: the last one carries 4 unused bits, so 16 spellings decode
    // to the same bytes; only the canonical one (unused bits zero) is the token.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(s.at(-1)!);
    const twin = `${s.slice(0, -1)}${alphabet[last | 1]}`;
    expect(Buffer.from(twin, "base64url")).toEqual(Buffer.from(s, "base64url"));
    expect(twin).not.toBe(s);
    expect(refusal(`${h}.${c}.${twin}`)).toBe("malformed");
  });

  it("reads the claims only once the signature matched, and only objects", () => {
    const junk = Buffer.from("[1,2").toString("base64url");
    expect(refusal(`${b64({ alg: "HS256" })}.${junk}.${"A".repeat(43)}`)).toBe("signature");
    expect(refusal(forge({ alg: "HS256" }, [1, 2]))).toBe("malformed");
    expect(refusal(forge({ alg: "HS256" }, "text"))).toBe("malformed");
    expect(refusal(forge({ alg: "HS256" }, null))).toBe("malformed");
  });
});
