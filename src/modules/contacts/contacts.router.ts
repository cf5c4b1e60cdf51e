import type { RequestMeta } from "@/lib/request-meta";
import type { Tx } from "@/server/db/tenant";
import { createTRPCRouter, requirePermission } from "@/server/trpc";
import { getBulkRun, startBulkRun } from "./bulk-runs.service";
import { contactTimeline } from "./contact-timeline.schema";
import { getContactTimeline } from "./contact-timeline.service";
import {
  bulkActionInput,
  bulkByFilterInput,
  bulkRunIdInput,
  bulkRunView,
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
import { restoreDeletedContact, undoOptOut } from "./contacts-undo.service";

const read = requirePermission("contacts:read");
const write = requirePermission("contacts:write");

type WriteCtx = {
  workspace: { id: string };
  user: { id: string };
  meta: RequestMeta;
  tenant: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
};

/** Opt-out and opt-in are the same audited change in opposite directions. */
function toggleOptOut(ctx: WriteCtx, input: { id: string; reason?: string }, optedOut: boolean) {
  return ctx.tenant((tx) =>
    setOptOut({
      tx,
      workspaceId: ctx.workspace.id,
      actorUserId: ctx.user.id,
      meta: ctx.meta,
      id: input.id,
      optedOut,
      reason: input.reason,
    }),
  );
}

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

  /** The contact page's history: audited actions, imports that changed it, its creation. */
  timeline: read
    .input(contactIdInput)
    .output(contactTimeline)
    .query(({ ctx, input }) =>
      ctx.tenant(async (tx) => {
        const contact = await getContact({ tx, workspaceId: ctx.workspace.id, id: input.id });
        return getContactTimeline({ tx, workspaceId: ctx.workspace.id, contact });
      }),
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

  optOut: write.input(optOutInput).mutation(({ ctx, input }) => toggleOptOut(ctx, input, true)),

  optIn: write.input(optInInput).mutation(({ ctx, input }) => toggleOptOut(ctx, input, false)),

  /** The toast's Undo: a contact deleted a moment ago comes back whole. */
  restore: write.input(contactIdInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      restoreDeletedContact({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
      }),
    ),
  ),

  /** The toast's Undo: one's own opt-out of a moment ago, as if it had not happened. */
  undoOptOut: write.input(contactIdInput).mutation(({ ctx, input }) =>
    ctx.tenant((tx) =>
      undoOptOut({
        tx,
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        id: input.id,
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

  /** "Select all N that match": queued, then run in batches; poll `bulkRun` for progress. */
  bulkByFilter: write
    .input(bulkByFilterInput)
    .output(bulkRunView)
    .mutation(({ ctx, input }) =>
      startBulkRun({
        workspaceId: ctx.workspace.id,
        actorUserId: ctx.user.id,
        meta: ctx.meta,
        input,
      }),
    ),

  bulkRun: read
    .input(bulkRunIdInput)
    .output(bulkRunView)
    .query(({ ctx, input }) => getBulkRun({ workspaceId: ctx.workspace.id, runId: input.id })),
});
