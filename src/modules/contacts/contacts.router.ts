import { createTRPCRouter, requirePermission } from "@/server/trpc";
import {
  bulkActionInput,
  contactIdInput,
  contactInput,
  listContactsInput,
  optInInput,
  optOutInput,
  updateContactInput,
} from "./contacts.schema";
import {
  bulkContacts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  setOptOut,
  updateContact,
} from "./contacts.service";

const read = requirePermission("contacts:read");
const write = requirePermission("contacts:write");

export const contactsRouter = createTRPCRouter({
  list: read.input(listContactsInput).query(({ ctx, input }) =>
    ctx.tenant((tx) =>
      listContacts({
        tx,
        workspaceId: ctx.workspace.id,
        input,
        defaultCountry: ctx.workspace.defaultCountry,
      }),
    ),
  ),

  get: read
    .input(contactIdInput)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => getContact({ tx, workspaceId: ctx.workspace.id, id: input.id })),
    ),

  create: write.input(contactInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      createContact({
        tx,
        workspace: ctx.workspace,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        input,
        source: "manual",
      }),
    ),
  ),

  update: write.input(updateContactInput).mutation(({ ctx, input: { id, ...patch } }) =>
    ctx.tenant((tx) =>
      updateContact({
        tx,
        workspace: ctx.workspace,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id,
        input: patch,
      }),
    ),
  ),

  delete: write.input(contactIdInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      deleteContact({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
      }),
    ),
  ),

  optOut: write.input(optOutInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      setOptOut({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
        optedOut: true,
        reason: input.reason,
      }),
    ),
  ),

  optIn: write.input(optInInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      setOptOut({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
        optedOut: false,
        reason: input.reason,
      }),
    ),
  ),

  bulk: write.input(bulkActionInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      bulkContacts({
        tx,
        workspace: ctx.workspace,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        input,
      }),
    ),
  ),
});
