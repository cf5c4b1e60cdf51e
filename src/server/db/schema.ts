// Every table of the app, for drizzle-kit and the typed query builder.
export * from "@/modules/workspaces/workspaces.table";
export * from "@/modules/audit/audit.table";
export * from "@/server/auth/auth-session.table";
export * from "@/modules/contacts/contacts.table";
export * from "@/modules/apikeys/apikeys.table";
export * from "@/modules/bots/bots.table";
export * from "@/modules/bots/agents.table";
export * from "@/modules/tasks/tasks.table";
export * from "@/modules/campaigns/campaigns.table";
export * from "@/modules/stats/stats.table";
export * from "@/modules/schedules/schedules.table";
