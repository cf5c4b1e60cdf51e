import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { apiKeyIdInput, createApiKeyInput, listApiKeysInput } from "./apikeys.schema";
import { createApiKey, listApiKeys, revokeApiKey } from "./apikeys.service";

const manage = requirePermission("apikeys:manage");

export const apiKeysRouter = createTRPCRouter({
  list: manage
    .input(listApiKeysInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listApiKeys({ tx, workspaceId: ctx.workspace.id, ...input })),
    ),

  /** The only response that ever carries the secret. */
  create: manage.input(createApiKeyInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      createApiKey({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),

  revoke: manage.input(apiKeyIdInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      revokeApiKey({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
      }),
    ),
  ),
});
