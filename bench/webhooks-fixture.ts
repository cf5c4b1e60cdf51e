/**
 * Helpers of `npm run bench -- webhooks` (not a benchmark of their own): the agent bots the
 * events are signed for, the two servers as child processes on loopback, and the load.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon, { type Result } from "autocannon";
import { signEvent } from "../src/modules/bots/agent-signature";
import { freePort } from "./bench-db";

export type AgentBot = { botId: string; secret: string };

/** An `agent` bot with its first secret, through the real service (as the system). */
export async function createAgentBot(workspaceId: string, name: string): Promise<AgentBot> {
  const { withTenant } = await import("../src/server/db/tenant");
  const { createBot } = await import("../src/modules/bots/bots.service");
  const { createBotInput } = await import("../src/modules/bots/bots.schema");
  return withTenant({ workspaceId }, async (tx) => {
    const { bot, secret } = await createBot({
      tx,
      workspaceId,
      actorUserId: null,
      meta: null,
      input: createBotInput.parse({ name, kind: "agent", config: {} }),
    });
    return { botId: bot.id, secret: secret! };
  });
}

export type ServerProcess = { url: string; child: ChildProcess; stop(): Promise<void> };

/**
 * `node --import tsx <script> <args>` on a free loopback port (PORT), ready once GET
 * /api/health answers 200. Warnings and errors it logs are passed through.
 */
export async function startServerProcess(
  label: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(script), ...args], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (!line.includes('"level":30')) console.error(`[${label}] ${line}`);
  });
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${label} not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Client addresses the events come from (X-Forwarded-For, believed from loopback). */
const CLIENT_ADDRESSES = 250;

/**
 * `seconds` of signed TASK_LOG events from `connections` keep-alive connections. Each request
 * is built when it is sent: a new `webhook-id`, the current timestamp, a fresh signature.
 */
export function signedLoad({
  url,
  bot,
  seconds,
  connections,
}: {
  url: string;
  bot: AgentBot;
  seconds: number;
  connections: number;
}): Promise<Result> {
  let seq = 0;
  const run = Date.now().toString(36);
  return autocannon({
    url: `${url}/api/webhooks/bots/${bot.botId}`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          const n = ++seq;
          const id = `msg_${run}_${n}`;
          const timestamp = Math.floor(Date.now() / 1000);
          const body = JSON.stringify({
            type: "TASK_LOG",
            data: { level: "info", message: `bench event ${n}`, context: { n } },
          });
          return {
            ...req,
            body,
            headers: {
              "content-type": "application/json",
              "webhook-id": id,
              "webhook-timestamp": String(timestamp),
              "webhook-signature": signEvent(bot.secret, id, timestamp, body),
              "x-forwarded-for": `10.77.0.${(n % CLIENT_ADDRESSES) + 1}`,
            },
          };
        },
      },
    ],
  });
}
