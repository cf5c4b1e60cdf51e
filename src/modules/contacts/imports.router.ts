import { createTRPCRouter } from "@/server/trpc";

export const importsRouter = createTRPCRouter({});
