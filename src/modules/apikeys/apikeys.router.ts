import { createTRPCRouter } from "@/server/trpc";

export const apiKeysRouter = createTRPCRouter({});
