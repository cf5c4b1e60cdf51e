import pino from "pino";
import { describe, expect, it } from "vitest";
import { logger, maskPhone } from "./logger";

/**
 * A child of the shipped logger inherits its redaction (fixed at creation); only its output
 * stream is swapped, so the lines captured here are exactly what production would write.
 */
function capture(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const log = logger.child({});
  log.level = "info";
  (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
    write: (s: string) => written.push(s),
  };
  return { log, lines: () => written.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

describe("maskPhone", () => {
  it("keeps the first 4 and last 3 characters and masks the rest", () => {
    expect(maskPhone("+595981123456")).toBe("+595******456");
    expect(maskPhone("0981123456")).toBe("0981***456");
  });

  it("never contains the full number, nor its hidden middle", () => {
    for (const phone of ["+595981123456", "+14155550123", "12345678", "12345678901234567890"]) {
      const masked = maskPhone(phone);
      expect(masked).not.toContain(phone);
      expect(masked).toHaveLength(phone.length);
      expect(masked.slice(4, -3)).toMatch(/^\*+$/);
    }
  });

  it("masks short values entirely", () => {
    expect(maskPhone("123456")).toBe("***");
    expect(maskPhone("")).toBe("***");
  });
});

describe("logger redaction", () => {
  it("redacts credentials at the top level", () => {
    const { log, lines } = capture();
    log.info({ password: "hunter2", accessToken: "at-123", apiKey: "k-1", user: "ana" }, "login");
    const [line] = lines();
    expect(line).toMatchObject({
      password: "[redacted]",
      accessToken: "[redacted]",
      apiKey: "[redacted]",
      user: "ana",
      msg: "login",
      app: "salestrack",
    });
  });

  it("redacts tokens one level down", () => {
    const { log, lines } = capture();
    log.warn(
      { tokens: { refresh_token: "rt-secret", id_token: "id-secret", expires_in: 300 } },
      "refreshed",
    );
    const [line] = lines();
    expect(line?.tokens).toEqual({
      refresh_token: "[redacted]",
      id_token: "[redacted]",
      expires_in: 300,
    });
  });

  it("redacts authorization and cookie headers", () => {
    const { log, lines } = capture();
    log.error(
      {
        headers: { authorization: "Bearer abc", cookie: "sid=1", "user-agent": "curl" },
        req: { headers: { authorization: "Bearer def", cookie: "sid=2", host: "x" } },
      },
      "request",
    );
    const [line] = lines();
    expect(line?.headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "user-agent": "curl",
    });
    expect(line?.req).toEqual({
      headers: { authorization: "[redacted]", cookie: "[redacted]", host: "x" },
    });
  });

  it("leaves no secret text anywhere in the written line", () => {
    const written: string[] = [];
    const log = logger.child({});
    (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = {
      write: (s: string) => written.push(s),
    };
    log.error({ password: "pw-SECRET", bot: { clientSecret: "cs-SECRET", token: "t-SECRET" } });
    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain("SECRET");
  });
});

describe("maskPhone on short numbers", () => {
  it("never shows more than two characters of a 7–9 character value", () => {
    expect(maskPhone("1234567")).toBe("12*****");
    expect(maskPhone("123456789")).toBe("12*******");
  });
});
