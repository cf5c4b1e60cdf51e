import { discardUpload, startImport, storeUpload } from "@/modules/contacts/imports.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { readMultipartUpload } from "@/server/http/multipart";
import { limitUploadStarts } from "@/server/http/upload-limits";
import { API } from "@/server/openapi/operations";
import { importUploadFields } from "@/server/openapi/rest-schemas";

/**
 * Streams the CSV straight into storage (never buffered whole), then queues the import. The
 * option fields precede the file part, so they are validated before any byte is stored; a
 * refused start deletes the stored upload: nothing is left behind.
 */
export const POST = withApiKey(API.createImport.scope, async (req, ctx) => {
  limitUploadStarts(ctx.workspace.id);
  const upload = await readMultipartUpload(req);
  const options = importUploadFields.parse(upload.fields);
  const workspaceId = ctx.workspace.id;
  const stored = await storeUpload({
    workspaceId,
    userId: null,
    fileName: upload.fileName,
    body: upload.file,
  });
  const started = await startImport({
    workspaceId,
    importId: stored.id,
    options,
  }).catch(async (err: unknown) => {
    // An API client cannot finish a half-started import: leave neither the row nor its file.
    await discardUpload({ workspaceId, importId: stored.id }).catch(() => undefined);
    throw err;
  });
  return Response.json(started, {
    status: 202,
    headers: { location: `/api/v1/contacts/imports/${started.id}` },
  });
});
