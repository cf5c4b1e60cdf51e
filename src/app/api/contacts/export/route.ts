import { requestMetaFromHeaders } from "@/lib/request-meta";
import { exportContactsCsv } from "@/modules/contacts/contacts-export";
import { exportContactsQuery } from "@/modules/contacts/contacts.schema";
import { requireRouteAccess } from "@/server/auth/route-access";
import { errorResponse } from "@/server/http/route-errors";
import { assertSameOrigin } from "@/server/http/same-origin";

/** The contacts matching the list's filters (query string) as a streamed CSV download. */
export async function GET(req: Request) {
  const meta = requestMetaFromHeaders(req.headers);
  const { requestId } = meta;
  try {
    assertSameOrigin(req);
    const access = await requireRouteAccess(req, "contacts:read");
    const filters = exportContactsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const date = new Date().toISOString().slice(0, 10);
    const body = exportContactsCsv({
      workspaceId: access.workspace.id,
      filters,
      defaultCountry: access.workspace.defaultCountry,
      actorUserId: access.userId,
      meta,
    });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="contacts-${date}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
