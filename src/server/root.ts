import { auditRouter } from "@/modules/audit/audit.router";
import { membersRouter } from "@/modules/workspaces/members.router";
import { workspacesRouter } from "@/modules/workspaces/workspaces.router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  workspaces: workspacesRouter,
  members: membersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
