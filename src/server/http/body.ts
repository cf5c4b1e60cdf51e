import type { IncomingMessage } from "node:http";
import { AppError } from "@/lib/errors";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_READ_TIMEOUT_MS = 15_000;

/**
 * The request body as received, for signature checks over the exact bytes. A declared length
 * over the limit is refused before reading; an undeclared (chunked) one stops at the limit.
 * A sender that trickles bytes is cut off after `timeoutMs`.
 */
export function readRawBody(
  req: IncomingMessage,
  { maxBytes = DEFAULT_BODY_LIMIT, timeoutMs = DEFAULT_READ_TIMEOUT_MS } = {},
): Promise<Buffer> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", "request.bodyTooLarge", { params: { maxBytes } });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: AppError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      if (err) {
        // Discard the rest rather than leave the socket unread; the response closes it.
        req.resume();
        reject(err);
      } else {
        resolve(Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) =>
      finish(new AppError("BAD_REQUEST", "request.interrupted", { cause: err }));
    const timer = setTimeout(
      () => finish(new AppError("BAD_REQUEST", "request.tooSlow")),
      timeoutMs,
    );
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
