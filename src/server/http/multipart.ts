import Busboy from "busboy";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "@/lib/errors";
import { refuseNul } from "@/lib/zod-text";

export type MultipartUpload = {
  fileName: string;
  /** The file part's bytes, streamed: never buffered whole. */
  file: AsyncIterable<Uint8Array>;
  /** Text fields sent before the file part. */
  fields: Record<string, string>;
};

/**
 * Streams the first file part of a multipart/form-data request. The byte limit is enforced
 * by whoever consumes `file` (it knows when to stop and what to roll back); busboy's own
 * limit only guards headers and fields here.
 */
export function readMultipartUpload(
  req: Request,
  { fieldName = "file" }: { fieldName?: string } = {},
): Promise<MultipartUpload> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "upload.notMultipart");
  }
  if (!req.body) throw new AppError("BAD_REQUEST", "upload.emptyBody");

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let settled = false;
    const busboy = Busboy({
      headers: { "content-type": contentType },
      // Browsers send `filename="Clientes Año.csv"` as raw UTF-8; busboy's default (latin1)
      // would store it as "Clientes AÃ±o.csv".
      defParamCharset: "utf8",
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024 },
    });
    busboy.on("field", (name, value) => {
      fields[name] = value;
    });
    busboy.on("file", (name, stream, info) => {
      if (name !== fieldName || settled) {
        stream.resume();
        return;
      }
      settled = true;
      try {
        // The fields come first and are read by the caller's schema; a NUL in one is refused
        // like in any JSON body. Control characters have no place in a file name.
        refuseNul(fields);
      } catch (err) {
        stream.resume();
        reject(err);
        return;
      }
      const fileName = info.filename?.replace(/[\u0000-\u001f\u007f]/g, "").trim();
      resolve({ fileName: fileName || "upload.csv", file: stream, fields });
    });
    busboy.on("error", (err) => {
      if (!settled) reject(new AppError("BAD_REQUEST", "upload.malformed", { cause: err }));
    });
    busboy.on("close", () => {
      if (!settled)
        reject(new AppError("BAD_REQUEST", "upload.noFilePart", { params: { field: fieldName } }));
    });
    // A client that disconnects mid-upload must end the file stream with an error, or the
    // consumer would wait forever inside its (uncommitted) transaction.
    let fileStream: (NodeJS.ReadableStream & { destroy?: (err?: Error) => void }) | null = null;
    busboy.on("file", (_name, stream) => (fileStream ??= stream));
    const body = Readable.fromWeb(req.body as import("node:stream/web").ReadableStream<Uint8Array>);
    const abort = (err: Error) => {
      const error = new AppError("BAD_REQUEST", "upload.interrupted", { cause: err });
      fileStream?.destroy?.(error);
      if (!settled) reject(error);
      settled = true;
    };
    req.signal?.addEventListener("abort", () => abort(new Error("client disconnected")), {
      once: true,
    });
    pipeline(body, busboy).catch((err: Error) => abort(err));
  });
}
