import { apiKeysRouter } from "@/modules/apikeys/apikeys.router";
import { auditRouter } from "@/modules/audit/audit.router";
import { botsRouter } from "@/modules/bots/bots.router";
import { logsRouter } from "@/modules/tasks/logs.router";
import { tasksRouter } from "@/modules/tasks/tasks.router";
import { schedulesRouter } from "@/modules/schedules/schedules.router";
import { campaignsRouter } from "@/modules/campaigns/campaigns.router";
import { contactsRouter } from "@/modules/contacts/contacts.router";
import { groupsRouter } from "@/modules/contacts/groups.router";
import { importsRouter } from "@/modules/contacts/imports.router";
import { invitationsRouter } from "@/modules/workspaces/invitations.router";
import { statsRouter } from "@/modules/stats/stats.router";
import { membersRouter } from "@/modules/workspaces/members.router";
import { workspacesRouter } from "@/modules/workspaces/workspaces.router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  workspaces: workspacesRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  contacts: contactsRouter,
  groups: groupsRouter,
  imports: importsRouter,
  apiKeys: apiKeysRouter,
  bots: botsRouter,
  tasks: tasksRouter,
  logs: logsRouter,
  schedules: schedulesRouter,
  campaigns: campaignsRouter,
  stats: statsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
