import { openApiDocument } from "@/server/openapi/document";

/** Public: the document describes the API, it grants nothing. */
export function GET() {
  return Response.json(openApiDocument(), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
