import { getImport } from "@/modules/contacts/imports.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";

export const GET = withApiKey<{ id: string }>(API.getImport.scope, async (_req, ctx) => {
  const { id } = API.getImport.pathParams.parse(ctx.params);
  return Response.json(await getImport({ workspaceId: ctx.workspace.id, importId: id }));
});
