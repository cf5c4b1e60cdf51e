import { z } from "zod";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import { getImport } from "@/modules/contacts/imports.service";
import { requireRouteAccess } from "@/server/auth/route-access";
import { errorResponse } from "@/server/http/route-errors";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { requestId } = requestMetaFromHeaders(req.headers);
  try {
    const importId = z.uuid().parse((await params).id);
    const access = await requireRouteAccess(req, "contacts:read");
    const view = await getImport({ workspaceId: access.workspace.id, importId });
    const base = view.fileName.replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "_").slice(0, 60) || "import";
    return new Response(rejectedRowsCsv({ workspaceId: access.workspace.id, importId }), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${base}-rechazadas.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
