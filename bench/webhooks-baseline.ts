/**
 * The baseline of `npm run bench -- webhooks`, started by webhooks.ts (not a benchmark of its
 * own): a bare node:http server doing the least an honest receiver must — read the raw body,
 * check the Standard Webhooks timestamp and signature in constant time, and write the event's
 * log row with one INSERT into the same `log` table (same indexes) before answering 200.
 * No framework, no bot lookup, no replay check, no transaction of its own.
 * Env: DATABASE_URL, PORT, BOT_ID, WORKSPACE_ID, BOT_SECRET (whsec_…), DATABASE_POOL_MAX.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import pg from "pg";

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const workspaceId = env("WORKSPACE_ID");
const botId = env("BOT_ID");
const key = Buffer.from(env("BOT_SECRET").replace(/^whsec_/, ""), "base64");
const path = `/api/webhooks/bots/${botId}`;
const WINDOW_SECONDS = 300;
const pool = new pg.Pool({
  connectionString: env("DATABASE_URL"),
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
});

function rawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function verified(req: IncomingMessage, body: Buffer): boolean {
  const id = req.headers["webhook-id"];
  const timestamp = req.headers["webhook-timestamp"];
  const signature = req.headers["webhook-signature"];
  if (typeof id !== "string" || typeof timestamp !== "string" || typeof signature !== "string") {
    return false;
  }
  if (Math.abs(Number(timestamp) - Date.now() / 1000) > WINDOW_SECONDS) return false;
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
  let ok = false;
  for (const part of signature.split(" ")) {
    const mac = Buffer.from(part.slice(3), "base64");
    if (part.startsWith("v1,") && mac.length === 32) ok = timingSafeEqual(mac, expected) || ok;
  }
  return ok;
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/api/health") return void res.end("ok");
  if (req.method !== "POST" || req.url !== path) return void res.writeHead(404).end();
  void (async () => {
    const body = await rawBody(req);
    if (!verified(req, body)) return void res.writeHead(401).end();
    const event = JSON.parse(body.toString("utf8")) as {
      data: { level?: string; message: string; taskId?: string; context?: object };
    };
    await pool.query(
      `insert into log (workspace_id, level, message, context, bot_id, task_id)
       values ($1, $2, $3, $4, $5, $6)`,
      [
        workspaceId,
        event.data.level ?? "info",
        event.data.message,
        event.data.context ?? null,
        botId,
        event.data.taskId ?? null,
      ],
    );
    res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
  })().catch(() => res.writeHead(500).end());
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env("PORT")), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
