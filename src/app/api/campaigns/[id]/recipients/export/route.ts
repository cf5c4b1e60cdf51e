import { z } from "zod";
import { toLocale } from "@/i18n/locales";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { RECIPIENT_STATUSES } from "@/modules/campaigns/campaigns.schema";
import { requireCampaign } from "@/modules/campaigns/campaigns.service";
import { exportRecipientsCsv } from "@/modules/campaigns/recipients-export";
import { requireRouteAccess } from "@/server/auth/route-access";
import { withTenant } from "@/server/db/tenant";
import { errorResponse } from "@/server/http/route-errors";
import { assertSameOrigin } from "@/server/http/same-origin";

const exportQuery = z.object({
  status: z.preprocess((v) => (v === "" ? undefined : v), z.enum(RECIPIENT_STATUSES).optional()),
});

/** A campaign's recipients (optionally one status) as a streamed CSV download. */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { requestId } = requestMetaFromHeaders(req.headers);
  try {
    assertSameOrigin(req);
    const campaignId = z.uuid().parse((await params).id);
    const access = await requireRouteAccess(req, "campaigns:read");
    const { status } = exportQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const workspaceId = access.workspace.id;
    const campaign = await withTenant({ workspaceId }, (tx) =>
      requireCampaign(tx, workspaceId, campaignId),
    );
    const locale = toLocale(
      /(?:^|;\s*)NEXT_LOCALE=(\w+)/.exec(req.headers.get("cookie") ?? "")?.[1],
    );
    const base =
      campaign.name
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/[^\w.-]+/g, "_")
        .slice(0, 60) || "campaign";
    const suffix = locale === "es" ? "destinatarios" : "recipients";
    return new Response(exportRecipientsCsv({ workspaceId, campaignId, status }), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${base}-${suffix}${status ? `-${status}` : ""}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    return errorResponse(err, requestId);
  }
}
