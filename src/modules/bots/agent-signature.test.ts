import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signEvent, verifyEventSignature } from "./agent-signature";

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;
const body = Buffer.from('{"type":"HEARTBEAT","data":{}}');
const now = 1_800_000_000;

function headersFor(s: string, id = "msg_1", ts = now) {
  return { id, timestamp: String(ts), signature: signEvent(s, id, ts, body) };
}

describe("verifyEventSignature", () => {
  it("matches the vector the SDKs test against (sdk/python/tests/test_signing.py)", () => {
    const vector = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64")}`;
    expect(vector).toBe("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    expect(signEvent(vector, "msg_vector", 1_700_000_000, body)).toBe(
      "v1,9iJIA2JZO6fm2kroF6z9WdrjWOvnt6zlWYWRt2p2jCQ=",
    );
  });

  it("agrees with the standardwebhooks package both ways", () => {
    const s = secret();
    const theirs = new Webhook(s).sign("msg_1", new Date(now * 1000), body.toString());
    expect(theirs).toBe(signEvent(s, "msg_1", now, body));
    const verified = new Webhook(s).verify(body.toString(), {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
      "webhook-signature": signEvent(s, "msg_1", Math.floor(Date.now() / 1000), body),
    });
    expect(verified).toEqual({ type: "HEARTBEAT", data: {} });
  });

  it("accepts any active secret and any of several signatures", () => {
    const [a, b] = [secret(), secret()];
    const h = headersFor(b);
    const both = { ...h, signature: `v1,AAAA ${h.signature}` };
    expect(
      verifyEventSignature({ headers: both, rawBody: body, secrets: [a, b], nowSeconds: now }),
    ).toMatchObject({ ok: true, webhookId: "msg_1" });
  });

  it("refuses a wrong secret, a changed body, and missing headers", () => {
    const s = secret();
    const h = headersFor(s);
    const check = (over: Partial<typeof h>, raw = body, secrets = [s]) =>
      verifyEventSignature({ headers: { ...h, ...over }, rawBody: raw, secrets, nowSeconds: now });
    expect(check({}, body, [secret()])).toEqual({ ok: false, reason: "mismatch" });
    expect(check({}, Buffer.from(`${body} `))).toEqual({ ok: false, reason: "mismatch" });
    expect(check({ id: "msg_2" })).toEqual({ ok: false, reason: "mismatch" });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("holds the window both ways, configurable", () => {
    const s = secret();
    const at = (ts: number, windowSeconds?: number) =>
      verifyEventSignature({
        headers: headersFor(s, "m", ts),
        rawBody: body,
        secrets: [s],
        nowSeconds: now,
        windowSeconds,
      });
    expect(at(now - 300).ok).toBe(true);
    expect(at(now - 301)).toEqual({ ok: false, reason: "expired" });
    expect(at(now + 301)).toEqual({ ok: false, reason: "future" });
    expect(at(now - 100, 60)).toEqual({ ok: false, reason: "expired" });
  });
});
