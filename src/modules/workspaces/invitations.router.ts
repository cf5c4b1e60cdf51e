import { createTRPCRouter, protectedProcedure, requirePermission } from "@/server/trpc";
import {
  createInvitationInput,
  createInvitationOutput,
  invitationTokenInput,
  listInvitationsInput,
  revokeInvitationInput,
} from "./invitations.schema";
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  revokeInvitation,
} from "./invitations.service";

const manage = requirePermission("members:manage");

export const invitationsRouter = createTRPCRouter({
  list: manage
    .input(listInvitationsInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listInvitations({ tx, workspaceId: ctx.workspace.id, ...input })),
    ),

  create: manage
    .input(createInvitationInput)
    .output(createInvitationOutput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        createInvitation({
          tx,
          workspaceId: ctx.workspace.id,
          actorUserId: ctx.user.id,
          meta: ctx.meta,
          ...input,
        }),
      ),
    ),

  revoke: manage.input(revokeInvitationInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      revokeInvitation({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        ...input,
      }),
    ),
  ),

  // The invitee is not a member yet: signed in is enough; the link and the email decide.
  accept: protectedProcedure
    .input(invitationTokenInput)
    .mutation(({ ctx, input }) =>
      acceptInvitation({ token: input.token, user: ctx.user, meta: ctx.meta }),
    ),
});
