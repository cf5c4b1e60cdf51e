import { requestMetaFromHeaders } from "@/lib/request-meta";
import { storeUpload } from "@/modules/contacts/imports.service";
import { requireRouteAccess } from "@/server/auth/route-access";
import { readMultipartUpload } from "@/server/http/multipart";
import { errorResponse } from "@/server/http/route-errors";
import { assertSameOrigin } from "@/server/http/same-origin";
import { limitUploadStarts } from "@/server/http/upload-limits";

/** Upload from the Contacts page: stores the file and returns the detected mapping preview. */
export async function POST(req: Request) {
  const { requestId } = requestMetaFromHeaders(req.headers);
  try {
    assertSameOrigin(req);
    const access = await requireRouteAccess(req, "contacts:write");
    limitUploadStarts(access.workspace.id);
    const upload = await readMultipartUpload(req);
    const view = await storeUpload({
      workspaceId: access.workspace.id,
      userId: access.userId,
      fileName: upload.fileName,
      body: upload.file,
    });
    return Response.json(view, { status: 201 });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
