import {
  createTRPCRouter,
  protectedProcedure,
  requirePermission,
  workspaceProcedure,
} from "@/server/trpc";
import { createWorkspaceInput, workspaceSettingsInput } from "./workspaces.schema";
import {
  createWorkspace,
  describeAccess,
  listMyWorkspaces,
  updateWorkspaceSettings,
} from "./workspaces.service";

export const workspacesRouter = createTRPCRouter({
  mine: protectedProcedure.query(async ({ ctx }) => {
    const rows = await listMyWorkspaces({ userId: ctx.user.id });
    return rows.map((r) => ({
      id: r.workspace.id,
      name: r.workspace.name,
      slug: r.workspace.slug,
      role: r.role,
    }));
  }),

  current: workspaceProcedure.query(({ ctx }) =>
    describeAccess({ workspace: ctx.workspace, role: ctx.role }),
  ),

  create: protectedProcedure
    .input(createWorkspaceInput)
    .mutation(({ ctx, input }) =>
      createWorkspace({ userId: ctx.user.id, name: input.name, meta: ctx.meta }),
    ),

  updateSettings: requirePermission("settings:manage")
    .input(workspaceSettingsInput)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) =>
        updateWorkspaceSettings({
          tx,
          workspace: ctx.workspace,
          actorUserId: ctx.user.id,
          meta: ctx.meta,
          input,
        }),
      ),
    ),
});
