/**
 * Cancels the statement a pooled connection is running, the way `psql`'s Ctrl-C does: a
 * protocol CancelRequest (its backend's process id and secret key) on a new connection to the
 * same server. Unlike `pg_cancel_backend()` it needs no privilege over the target's role — the
 * app role cannot signal a backend whose session user is the owner or a login role — and a
 * connection that is idle by the time it lands is left alone by the server.
 */
import { connect } from "node:net";
import type { PoolClient } from "pg";

/** CancelRequest code (protocol 3.0): 1234 in the high 16 bits, 5678 in the low. */
const CANCEL_REQUEST_CODE = 80877102;

type BackendKey = { processID: number | null; secretKey: number | null };

export function cancelRunningQuery(client: PoolClient, timeoutMs = 5_000): Promise<void> {
  const { processID, secretKey } = client as PoolClient & BackendKey;
  if (processID === null || secretKey === null) return Promise.resolve();
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = client.host.startsWith("/")
    ? connect(`${client.host}/.s.PGSQL.${client.port}`)
    : connect(client.port, client.host);
  return new Promise<void>((resolve, reject) => {
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error("cancel request timed out")));
    socket.once("connect", () => socket.end(packet));
    // The server answers nothing: it closes the connection once it has read the request.
    socket.once("close", () => resolve());
    socket.once("error", reject);
  });
}
