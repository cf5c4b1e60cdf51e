/**
 * Declared task actions whose JSON Schema could hurt the process: a schema that refers to
 * itself without end (a stack overflow, once a 500 on every task of the action) and a
 * `pattern` whose nested repetition takes exponential time on a near miss.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/server/db/client";
import { callerFor } from "../helpers/campaigns";
import { freshTenant, type Tenant } from "../helpers/import";
import { createAgentBot, type Agent } from "./agents-helpers";

let t: Tenant;
let agent: Agent;

beforeAll(async () => {
  t = await freshTenant();
  agent = await createAgentBot(t);
});

afterAll(async () => {
  await closeDatabase();
});

const refused = (key: string) => ({ code: "BAD_REQUEST", cause: expect.objectContaining({ key }) });

describe("task action schemas", () => {
  it("refuses a schema that refers to itself without end", async () => {
    await expect(
      callerFor(t).tasks.defineAction({ name: "loop.self", schema: { $ref: "#" } }),
    ).rejects.toMatchObject(refused("task.schemaInvalid"));
    expect((await callerFor(t).tasks.actions()).map((a) => a.name)).not.toContain("loop.self");
  });

  it.each(["^(a+)+$", "(\\w*\\s?)*", "^(x{1,9})+!"])(
    "refuses the pattern %s, whose nested repetition backtracks exponentially",
    async (pattern) => {
      await expect(
        callerFor(t).tasks.defineAction({
          name: "slow.pattern",
          schema: { type: "object", properties: { x: { type: "string", pattern } } },
        }),
      ).rejects.toMatchObject(refused("task.patternUnsafe"));
    },
  );

  it("keeps ordinary patterns, and checks payloads with them", async () => {
    const api = callerFor(t);
    await api.tasks.defineAction({
      name: "call.back",
      schema: {
        type: "object",
        properties: { phone: { type: "string", pattern: "^\\+?\\d{6,15}$" } },
        required: ["phone"],
      },
    });
    const ok = await api.tasks.create({
      botId: agent.botId,
      action: "call.back",
      payload: { phone: "+595981123456" },
    });
    expect(ok.created).toBe(true);
    await expect(
      api.tasks.create({ botId: agent.botId, action: "call.back", payload: { phone: "abc" } }),
    ).rejects.toMatchObject(refused("task.payloadInvalid"));
  });
});
