import { createContact, listContacts } from "@/modules/contacts/contacts.service";
import { withApiKey } from "@/server/http/api-key-auth";
import { API } from "@/server/openapi/operations";
import { readJson, readQuery } from "../_lib/request";

export const GET = withApiKey(API.listContacts.scope, async (req, ctx) => {
  const input = readQuery(req, API.listContacts.query);
  const result = await ctx.tenant((tx) =>
    listContacts({
      tx,
      workspaceId: ctx.workspace.id,
      input,
      defaultCountry: ctx.workspace.defaultCountry,
    }),
  );
  return Response.json({
    data: result.rows,
    page: input.page,
    pageSize: input.pageSize,
    total: result.total,
    totalIsEstimate: result.totalIsEstimate,
  });
});

export const POST = withApiKey(API.createContact.scope, async (req, ctx) => {
  const input = await readJson(req, API.createContact.body.zod);
  const contact = await ctx.tenant((tx) =>
    createContact({
      tx,
      workspace: ctx.workspace,
      actorUserId: null,
      actorLabel: `apikey:${ctx.keyPrefix}`,
      meta: ctx.meta,
      input,
      source: "api",
    }),
  );
  return Response.json(contact, { status: 201 });
});
