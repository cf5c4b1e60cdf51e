import { z } from "zod";
import { toLocale } from "@/i18n/locales";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { importChangesCsv } from "@/modules/contacts/import/changes-csv";
import { getImport } from "@/modules/contacts/imports.service";
import { requireRouteAccess } from "@/server/auth/route-access";
import { errorResponse } from "@/server/http/route-errors";
import { assertSameOrigin } from "@/server/http/same-origin";

/** An import's whole change list (phone, field, before, after) as CSV. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { requestId } = requestMetaFromHeaders(req.headers);
  try {
    assertSameOrigin(req);
    const importId = z.uuid().parse((await params).id);
    const access = await requireRouteAccess(req, "contacts:read");
    const locale = toLocale(
      /(?:^|;\s*)NEXT_LOCALE=(\w+)/.exec(req.headers.get("cookie") ?? "")?.[1],
    );
    const view = await getImport({ workspaceId: access.workspace.id, importId });
    const suffix = locale === "es" ? "cambios" : "changes";
    const base =
      view.fileName
        .replace(/\.[^.]+$/, "")
        .replace(/[^\w.-]+/g, "_")
        .slice(0, 60) || "import";
    return new Response(importChangesCsv({ workspaceId: access.workspace.id, importId, locale }), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${base}-${suffix}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
