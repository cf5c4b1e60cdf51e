/**
 * A runnable agent against the demo: create an `agent` bot in Bots, copy its id and secret,
 * then
 *
 *   SALESTRACK_BOT_ID=… SALESTRACK_BOT_SECRET=whsec_… npm run example
 *
 * It pulls tasks, logs what it would do, and reports success. `send_message` tasks get a
 * made-up provider message id; a real agent would send the message there instead.
 */
import { createClient } from "../src/index";

const client = createClient({
  botId: process.env.SALESTRACK_BOT_ID ?? "",
  secret: process.env.SALESTRACK_BOT_SECRET ?? "",
  baseUrl: process.env.SALESTRACK_URL ?? "http://localhost:3000",
});

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.once("SIGTERM", () => stop.abort());

process.stdout.write(
  `agent ${client.botId} pulling from ${process.env.SALESTRACK_URL ?? "http://localhost:3000"}\n`,
);

await client.runAgent(
  async (task, ctx) => {
    process.stdout.write(`task ${task.id} ${task.action} (attempt ${task.attempt})\n`);
    await ctx.log(`working on ${task.action}`, "info", { payload: task.payload });
    await ctx.progress(50);
    if (task.action === "send_message") {
      await ctx.log(`would send to ${String(task.payload.to)}`);
      return { providerMessageId: `demo-${task.id}` };
    }
    return { output: { handledBy: "demo-agent" } };
  },
  {
    signal: stop.signal,
    concurrency: Number(process.env.SALESTRACK_CONCURRENCY ?? 1),
    onError: (err) => process.stderr.write(`retrying after: ${String(err)}\n`),
  },
);
