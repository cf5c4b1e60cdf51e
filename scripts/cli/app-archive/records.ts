/**
 * Framing of the app archive (format.ts): a gzip stream of the magic line and
 * `kind · length · payload` records, written with backpressure and read back one record at a
 * time, so no table is ever held in memory.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { constants, createGunzip, createGzip, gunzipSync } from "node:zlib";
import { CliError } from "../command";
import { MAGIC, type RecordKind } from "./format";

const KINDS = new Set<string>(["H", "B", "D", "E", "Q", "Z"]);
const MAX_RECORD = 64 * 1024 * 1024;

export class ArchiveWriter {
  private readonly gzip = createGzip({ level: 6 });
  private readonly written: Promise<void>;
  private failure: Error | null = null;

  constructor(path: string) {
    // A failing file (disk full…) destroys gzip too, so a write waiting for "drain" rejects.
    this.written = pipeline(this.gzip, createWriteStream(path, { mode: 0o600 }));
    this.written.catch((err: Error) => void (this.failure = err));
  }

  private async push(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.gzip.write(chunk)) await once(this.gzip, "drain");
  }

  async begin(): Promise<void> {
    await this.push(Buffer.from(MAGIC, "latin1"));
  }

  async record(kind: RecordKind, payload: Buffer | string): Promise<void> {
    const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
    const head = Buffer.alloc(5);
    head.write(kind, 0, "latin1");
    head.writeUInt32BE(body.length, 1);
    await this.push(head);
    if (body.length > 0) await this.push(body);
  }

  async json(kind: RecordKind, value: unknown): Promise<void> {
    await this.record(kind, JSON.stringify(value));
  }

  /** Flushes gzip and the file; resolves once the bytes are on their way to disk. */
  async close(): Promise<void> {
    this.gzip.end();
    await this.written;
  }

  destroy(): void {
    this.gzip.destroy();
  }
}

export type ArchiveRecord = { kind: RecordKind; payload: Buffer };

/** A truncated or damaged gzip stream becomes one clear line. */
function corrupt(file: string, detail: string): CliError {
  return new CliError(`${file} is damaged or truncated (${detail}): nothing was restored`);
}

export class ArchiveReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffer: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(private readonly file: string) {
    // pipeline, not pipe: a read error reaches the gunzip stream, and so the reader.
    const stream = createReadStream(file);
    const gunzip = createGunzip();
    pipeline(stream, gunzip).catch(() => undefined);
    this.chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private async fill(n: number): Promise<boolean> {
    while (this.buffer.length < n && !this.done) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch (err) {
        throw corrupt(this.file, (err as Error).message);
      }
      if (next.done) this.done = true;
      else this.buffer = this.buffer.length ? Buffer.concat([this.buffer, next.value]) : next.value;
    }
    return this.buffer.length >= n;
  }

  private take(n: number): Buffer {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** Reads the magic line; false when the content is not an app archive. */
  async begin(): Promise<boolean> {
    if (!(await this.fill(MAGIC.length))) return false;
    return this.take(MAGIC.length).toString("latin1") === MAGIC;
  }

  /** The next record; the archive ending before its Z record is an error. */
  async next(): Promise<ArchiveRecord> {
    if (!(await this.fill(5))) throw corrupt(this.file, "it ends before its last record");
    const head = this.take(5);
    const kind = head.toString("latin1", 0, 1);
    const length = head.readUInt32BE(1);
    if (!KINDS.has(kind) || length > MAX_RECORD) throw corrupt(this.file, "unknown record");
    if (!(await this.fill(length))) throw corrupt(this.file, "it ends inside a record");
    // A view, not a copy: the buffers behind it are replaced, never written to.
    return { kind: kind as RecordKind, payload: this.take(length) };
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

export type FileFormat = "pgdump" | "app" | "unknown";

/** pg_dump's custom format starts with "PGDMP"; an app archive is gzip holding MAGIC. */
export async function detectFormat(file: string): Promise<FileFormat> {
  const unreadable = (err: NodeJS.ErrnoException) =>
    new CliError(
      err.code === "ENOENT" ? `No such file: ${file}` : `Cannot read ${file} (${err.code})`,
    );
  const handle = await open(file, "r").catch((err: NodeJS.ErrnoException) => {
    throw unreadable(err);
  });
  try {
    const { bytesRead, buffer } = await handle
      .read(Buffer.alloc(4096), 0, 4096, 0)
      .catch((err: NodeJS.ErrnoException) => {
        throw unreadable(err);
      });
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 5).toString("latin1") === "PGDMP") return "pgdump";
    if (head[0] !== 0x1f || head[1] !== 0x8b) return "unknown";
    try {
      const text = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      return text.subarray(0, MAGIC.length).toString("latin1") === MAGIC ? "app" : "unknown";
    } catch {
      return "unknown";
    }
  } finally {
    await handle.close();
  }
}
