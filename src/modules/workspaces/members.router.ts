import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { changeRoleInput, listMembersInput, removeMemberInput } from "./workspaces.schema";
import { changeMemberRole, listMembers, removeMember } from "./members.service";

const manage = requirePermission("members:manage");

export const membersRouter = createTRPCRouter({
  list: manage
    .input(listMembersInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listMembers({ tx, workspace: ctx.workspace, ...input })),
    ),

  changeRole: manage.input(changeRoleInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      changeMemberRole({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),

  remove: manage.input(removeMemberInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      removeMember({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),
});
