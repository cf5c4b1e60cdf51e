import { openApiDocument } from "@/server/openapi/document";
import { renderDocsPage } from "@/server/openapi/docs-page";

/** Where a client reaches us, as the curl examples should show it (honours a proxy's headers). */
function publicOrigin(req: Request): string {
  const url = new URL(req.url);
  const host =
    req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ||
    req.headers.get("host") ||
    url.host;
  const proto =
    req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

export function GET(req: Request) {
  return new Response(renderDocsPage(openApiDocument(), publicOrigin(req)), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "public, max-age=300",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
      "x-content-type-options": "nosniff",
    },
  });
}
