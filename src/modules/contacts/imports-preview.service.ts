import { AppError } from "@/lib/errors";
import { withTenantClient } from "@/server/db/tenant";
import { detectFromHead } from "./import/detect";
import { toImportView } from "./import/import-view";
import { HEAD_BYTES, readUploadChunks } from "./import/store-upload";
import { findImport, replaceDetection, type ImportRef } from "./imports.queries";
import type { ImportDetection, ImportView, PreviewOverride } from "./imports.schema";

/**
 * Reads a stored upload's first 64 KiB again with the encoding and/or delimiter the person
 * chose in the preview: new headers, proposed mapping and sample, and the reading the import
 * will use. Only before the import starts.
 */
export async function rereadUpload({
  encoding,
  delimiter,
  ...ref
}: ImportRef & PreviewOverride): Promise<ImportView> {
  const row = await withTenantClient({ workspaceId: ref.workspaceId }, async ({ tx, client }) => {
    const current = await findImport(tx, ref.workspaceId, ref.importId);
    if (!current) throw new AppError("NOT_FOUND", "import.notFound");
    if (current.status !== "uploaded") {
      throw new AppError("CONFLICT", "import.alreadyInStatus", {
        params: { status: current.status },
      });
    }
    const before = current.detected as ImportDetection;
    let head: Buffer = Buffer.alloc(0);
    for await (const chunk of readUploadChunks(client, ref.importId)) {
      head = chunk.subarray(0, HEAD_BYTES);
      break;
    }
    const detected = detectFromHead(head, current.fileSize <= head.length, false, {
      encoding: encoding ?? (before.encoding as PreviewOverride["encoding"]),
      // A new encoding can change what the delimiter looks like: sniff it again unless chosen.
      delimiter: delimiter ?? (encoding ? undefined : before.delimiter),
    });
    return replaceDetection(tx, ref, { ...detected, records: before.records });
  });
  if (!row) throw new AppError("CONFLICT", "import.alreadyStarted");
  return toImportView(row);
}
