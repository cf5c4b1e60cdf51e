/**
 * Helper of bench/realtime.ts (not a benchmark): the baseline — a bare node:http SSE relay on
 * BENCH_HTTP_PORT. One `LISTEN bot_activity` connection; on each notification for the
 * workspace it reads the new log lines once (owner connection, no session, no RLS) and
 * writes the same `data:` event to every open `GET /relay` response. Logs one "relay
 * listening" line on stdout when ready; SIGTERM closes it.
 */
import { createServer, type ServerResponse } from "node:http";
import pg from "pg";

const port = Number(process.env.BENCH_HTTP_PORT);
const workspaceId = process.env.BENCH_WORKSPACE_ID!;

async function main() {
  const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const reader = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await Promise.all([listener.connect(), reader.connect()]);
  const {
    rows: [top],
  } = await reader.query<{ id: string | null }>(
    "select max(id)::text as id from log where workspace_id = $1",
    [workspaceId],
  );
  let after = top?.id ?? "0";
  const subscribers = new Set<ServerResponse>();
  let reading = false;
  let again = false;

  async function relay() {
    if (reading) return void (again = true);
    reading = true;
    do {
      again = false;
      const { rows } = await reader.query<{ id: string }>(
        `select id::text, occurred_at as "occurredAt", level, message, context,
                bot_id as "botId", task_id as "taskId"
           from log where workspace_id = $1 and id > $2 order by id limit 500`,
        [workspaceId, after],
      );
      if (rows.length === 0) continue;
      after = rows.at(-1)!.id;
      const event = `data: ${JSON.stringify(rows.map((r) => ({ ...r, id: Number(r.id) })))}\n\n`;
      for (const res of subscribers) res.write(event);
    } while (again);
    reading = false;
  }

  listener.on("notification", (msg) => {
    if (msg.payload === workspaceId) void relay();
  });
  await listener.query("LISTEN bot_activity");

  const server = createServer((req, res) => {
    if (req.url !== "/relay") return void res.writeHead(404).end();
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write("event: connected\ndata: {}\n\n");
    subscribers.add(res);
    res.on("close", () => subscribers.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(JSON.stringify({ msg: "relay listening", port }));
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(
      () => void Promise.all([listener.end(), reader.end()]).finally(() => process.exit(0)),
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
