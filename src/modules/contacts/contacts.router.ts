import { createTRPCRouter } from "@/server/trpc";

export const contactsRouter = createTRPCRouter({});
