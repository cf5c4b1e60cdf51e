/**
 * Child of sdk-live.ts: in the demo workspace of the app under test, an agent bot, a declared
 * action `sdk.echo` and three tasks, made through the services as an admin would; prints
 * `{botId, secret, tasks}` as JSON.
 */
import { randomUUID } from "node:crypto";
import { prepareDatabase } from "../cli/infra";

async function makeFixtures() {
  const { findWorkspace } = await import("../cli/find-workspace");
  const { withTenant } = await import("@/server/db/tenant");
  const { createBot } = await import("@/modules/bots/bots.service");
  const { createBotInput } = await import("@/modules/bots/bots.schema");
  const { defineTaskAction } = await import("@/modules/tasks/task-actions");
  const { createTask } = await import("@/modules/tasks/tasks.service");
  const { taskSpec } = await import("@/modules/tasks/tasks.schema");
  const workspace = await findWorkspace("demo");
  if (!workspace) throw new Error("the demo workspace is missing");
  const meta = { ip: null, userAgent: "salestrack-sdk-live", requestId: randomUUID() };
  return withTenant({ workspaceId: workspace.id }, async (tx) => {
    const who = { tx, workspaceId: workspace.id, actorUserId: null, meta };
    const { bot, secret } = await createBot({
      ...who,
      input: createBotInput.parse({
        name: `Python SDK ${randomUUID().slice(0, 6)}`,
        kind: "agent",
        config: {},
        concurrency: 3,
      }),
    });
    await defineTaskAction({
      ...who,
      input: { name: "sdk.echo", schema: { type: "object", required: ["n"] } },
    });
    const tasks: string[] = [];
    for (const n of [1, 2, 3]) {
      const { task } = await createTask({
        tx,
        workspaceId: workspace.id,
        actorUserId: null,
        spec: taskSpec.parse({ botId: bot.id, action: "sdk.echo", payload: { n } }),
      });
      tasks.push(task.id);
    }
    return { botId: bot.id, secret: secret!, tasks };
  });
}

async function main() {
  const db = await prepareDatabase({ note: () => undefined, verbose: false, migrate: false });
  try {
    process.stdout.write(JSON.stringify(await makeFixtures()));
  } finally {
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
