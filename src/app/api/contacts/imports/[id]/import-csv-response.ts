import { z } from "zod";
import { toLocale, type Locale } from "@/i18n/locales";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { getImport } from "@/modules/contacts/imports.service";
import { requireRouteAccess } from "@/server/auth/route-access";
import { errorResponse } from "@/server/http/route-errors";
import { assertSameOrigin } from "@/server/http/same-origin";

type CsvOf = (args: {
  workspaceId: string;
  importId: string;
  locale: Locale;
}) => ConstructorParameters<typeof Response>[0];

/**
 * A CSV download about one import (its rejected rows, its change list): same-origin, read
 * permission, the import in the caller's workspace, named after its file in the reader's
 * language (`<file>-<suffix>.csv`).
 */
export function importCsvGet(csvOf: CsvOf, suffix: Record<Locale, string>) {
  return async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { requestId } = requestMetaFromHeaders(req.headers);
    try {
      assertSameOrigin(req);
      const importId = z.uuid().parse((await params).id);
      const access = await requireRouteAccess(req, "contacts:read");
      const locale = toLocale(
        /(?:^|;\s*)NEXT_LOCALE=(\w+)/.exec(req.headers.get("cookie") ?? "")?.[1],
      );
      const view = await getImport({ workspaceId: access.workspace.id, importId });
      const base =
        view.fileName
          .replace(/\.[^.]+$/, "")
          .replace(/[^\w.-]+/g, "_")
          .slice(0, 60) || "import";
      return new Response(csvOf({ workspaceId: access.workspace.id, importId, locale }), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${base}-${suffix[locale]}.csv"`,
          "cache-control": "no-store",
        },
      });
    } catch (err) {
      return errorResponse(err, requestId);
    }
  };
}
