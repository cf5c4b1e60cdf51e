/**
 * Helper of bench/lease.ts (not a benchmark): a process serving only the fast lane — the
 * agent API and bot events, as an ingest process would, no Next — on BENCH_HTTP_PORT, with
 * the agent bridge registered as `src/server/main.ts` does. Logs one "lease server listening"
 * line on stdout when it accepts requests; SIGTERM closes it.
 */
import { createServer } from "node:http";

const port = Number(process.env.BENCH_HTTP_PORT);

async function main() {
  const { createFastLane } = await import("../src/server/http/fast-lane");
  const { registerAgentBridge } = await import("../src/modules/campaigns/agent-bridge");
  const { closeDatabase } = await import("../src/server/db/client");
  registerAgentBridge();
  const server = createServer(createFastLane().listener);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(JSON.stringify({ msg: "lease server listening", port }));
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => void closeDatabase().finally(() => process.exit(0)));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
