import { deleteContact, getContact, updateContact } from "@/modules/contacts/contacts.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";
import { noContent, readJson } from "../../_lib/request";

type Params = { id: string };

export const GET = withApiKey<Params>(API.getContact.scope, async (_req, ctx) => {
  const { id } = API.getContact.pathParams.parse(ctx.params);
  const contact = await ctx.tenant((tx) => getContact({ tx, workspaceId: ctx.workspace.id, id }));
  return Response.json(contact);
});

export const PATCH = withApiKey<Params>(API.updateContact.scope, async (req, ctx) => {
  const { id } = API.updateContact.pathParams.parse(ctx.params);
  const input = await readJson(req, API.updateContact.body.zod);
  const contact = await ctx.tenant((tx) =>
    updateContact({
      tx,
      workspace: ctx.workspace,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      id,
      input,
    }),
  );
  return Response.json(contact);
});

export const DELETE = withApiKey<Params>(API.deleteContact.scope, async (_req, ctx) => {
  const { id } = API.deleteContact.pathParams.parse(ctx.params);
  await ctx.tenant((tx) =>
    deleteContact({
      tx,
      workspaceId: ctx.workspace.id,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      id,
    }),
  );
  return noContent();
});
