import { createTRPCRouter } from "@/server/trpc";

export const groupsRouter = createTRPCRouter({});
