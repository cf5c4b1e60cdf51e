import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { agentChallenge, agentCredentials, BASIC_CHALLENGE } from "./agent-credentials";

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describe("agent credentials", () => {
  it("reads Basic id:secret (the secret may hold colons) and Bearer tokens", () => {
    expect(agentCredentials(basic("bot", "whsec_a:b"))).toEqual({
      scheme: "basic",
      botId: "bot",
      secret: "whsec_a:b",
    });
    expect(agentCredentials("bearer aaa.bbb.ccc ")).toEqual({
      scheme: "bearer",
      token: "aaa.bbb.ccc",
    });
  });

  it("finds nothing usable in a missing, empty or odd header", () => {
    for (const value of [undefined, "", "Bearer", "Bearer a b", "Basic", "Digest x", "Basic !!"]) {
      expect(agentCredentials(value), String(value)).toBeNull();
    }
    expect(agentCredentials(`Basic ${Buffer.from("no-colon").toString("base64")}`)).toBeNull();
  });
});

describe("agent challenges", () => {
  const unauthorized = (key: "agent.tokenExpired" | "agent.unauthorized") =>
    new AppError("UNAUTHORIZED", key);

  it("answers a failed bearer token with invalid_token and why", () => {
    expect(agentChallenge(unauthorized("agent.tokenExpired"), "bearer", { bearer: true })).toBe(
      'Bearer realm="salestrack-agents", error="invalid_token", error_description="The token expired"',
    );
  });

  it("answers a missing scope with insufficient_scope naming it", () => {
    const err = new AppError("FORBIDDEN", "agent.scopeMissing", {
      params: { scope: "tasks:result" },
    });
    expect(agentChallenge(err, "bearer", { bearer: true })).toBe(
      'Bearer realm="salestrack-agents", error="insufficient_scope", scope="tasks:result"',
    );
    expect(
      agentChallenge(new AppError("FORBIDDEN", "agent.ipNotAllowed"), "bearer", { bearer: true }),
    ).toBeUndefined();
  });

  it("offers the schemes a route takes when Basic failed or nothing was sent", () => {
    const err = unauthorized("agent.unauthorized");
    expect(agentChallenge(err, "basic", { bearer: false })).toBe(BASIC_CHALLENGE);
    expect(agentChallenge(err, null, { bearer: true })).toBe(
      `${BASIC_CHALLENGE}, Bearer realm="salestrack-agents"`,
    );
    expect(agentChallenge(err, "bearer", { bearer: false })).toBe(BASIC_CHALLENGE);
    expect(agentChallenge(new Error("boom"), "basic", { bearer: true })).toBeUndefined();
  });
});
