import { createTRPCRouter, requirePermission } from "@/server/trpc";
import {
  createGroupInput,
  groupIdInput,
  groupOptionsInput,
  listGroupsInput,
  renameGroupInput,
} from "./contacts.schema";
import {
  createGroup,
  deleteGroup,
  listGroupOptions,
  listGroups,
  renameGroup,
} from "./groups.service";

const read = requirePermission("contacts:read");
const write = requirePermission("contacts:write");

export const groupsRouter = createTRPCRouter({
  list: read
    .input(listGroupsInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listGroups({ tx, workspaceId: ctx.workspace.id, ...input })),
    ),

  /** Id + name for pickers and filters (up to 200, no member counts). */
  options: read
    .input(groupOptionsInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listGroupOptions({ tx, workspaceId: ctx.workspace.id, ...input })),
    ),

  create: write.input(createGroupInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      createGroup({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),

  rename: write.input(renameGroupInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      renameGroup({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),

  delete: write.input(groupIdInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      deleteGroup({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
      }),
    ),
  ),
});
