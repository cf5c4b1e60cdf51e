import type { PoolClient } from "pg";
import { AppError } from "@/lib/errors";
import { RecordCounter } from "./count-records";
import { detectBinary } from "./sniff-encoding";

export const CHUNK_BYTES = 1 << 20;
export const HEAD_BYTES = 64 * 1024;

/**
 * Streams an upload into contact_import_chunk rows of 1 MiB inside the caller's transaction,
 * refusing non-text content as soon as the first 64 KiB are in and oversize files as soon as
 * they cross the limit (the caller rolls back: nothing is stored).
 */
export async function writeUploadChunks(
  client: PoolClient,
  {
    workspaceId,
    importId,
    body,
    maxBytes,
  }: { workspaceId: string; importId: string; body: AsyncIterable<Uint8Array>; maxBytes: number },
): Promise<{ size: number; head: Buffer; validUtf8: boolean; records: number }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  let seq = 0;
  let head: Buffer | null = null;
  // The encoding is sniffed from the head; a Windows-1252 accent after it must still be caught.
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let validUtf8 = true;
  const records = new RecordCounter();
  const headParts: Buffer[] = [];

  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await client.query(
      "insert into contact_import_chunk (workspace_id, import_id, seq, data) values ($1, $2, $3, $4)",
      [workspaceId, importId, seq++, data],
    );
  };
  const checkHead = () => {
    head = Buffer.concat(headParts).subarray(0, HEAD_BYTES);
    const kind = detectBinary(head);
    if (kind) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "import.notCsv", { params: { kind } });
  };

  for await (const part of body) {
    const buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    size += buf.length;
    if (size > maxBytes) {
      const limit =
        maxBytes >= 1 << 20
          ? `${Math.round(maxBytes / (1 << 20))} MB`
          : `${Math.round(maxBytes / 1024)} KB`;
      throw new AppError("PAYLOAD_TOO_LARGE", "import.tooLarge", { params: { limit } });
    }
    if (!head) {
      headParts.push(buf);
      if (size >= HEAD_BYTES) checkHead();
    }
    if (validUtf8) {
      try {
        utf8.decode(buf, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
    records.push(buf);
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  if (!head) checkHead();
  await flush();
  if (validUtf8) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  return { size, head: head ?? Buffer.alloc(0), validUtf8, records: records.total() };
}

/** The stored file, chunk by chunk, a few chunks per query: constant memory. */
export async function* readUploadChunks(
  client: PoolClient,
  importId: string,
): AsyncGenerator<Buffer> {
  const PAGE = 4;
  for (let from = 0; ; from += PAGE) {
    const { rows } = await client.query<{ data: Buffer }>(
      "select data from contact_import_chunk where import_id = $1 and seq >= $2 and seq < $3 order by seq",
      [importId, from, from + PAGE],
    );
    for (const row of rows) yield row.data;
    if (rows.length < PAGE) return;
  }
}
