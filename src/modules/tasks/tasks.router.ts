import { z } from "zod";
import { actorOf, createTRPCRouter, requirePermission } from "@/server/trpc";
import { defineTaskAction, listTaskActions, removeTaskAction } from "./task-actions";
import {
  actionName,
  defineActionInput,
  listTasksInput,
  taskEventView,
  taskIdInput,
  taskSpec,
  taskView,
} from "./tasks.schema";
import { cancelTask, createTask, getTask, listTasks, retryTask, toTaskView } from "./tasks.service";

const read = requirePermission("bots:read");
const write = requirePermission("bots:write");

const actionView = z.object({
  name: z.string(),
  description: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()),
});

export const tasksRouter = createTRPCRouter({
  list: read
    .input(listTasksInput)
    .output(z.object({ rows: z.array(taskView), nextCursor: z.uuid().nullable() }))
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => listTasks({ tx, workspaceId: ctx.workspace.id, input })),
    ),

  get: read
    .input(taskIdInput)
    .output(z.object({ task: taskView, events: z.array(taskEventView) }))
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => getTask({ tx, workspaceId: ctx.workspace.id, id: input.id })),
    ),

  create: write
    .input(taskSpec)
    .output(z.object({ task: taskView, created: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.tenant(async (tx) => {
        const { task, created } = await createTask({
          tx,
          workspaceId: ctx.workspace.id,
          actorUserId: ctx.user.id,
          spec: input,
        });
        return { task: toTaskView(task), created };
      }),
    ),

  cancel: write
    .input(taskIdInput)
    .output(taskView)
    .mutation(({ ctx, input }) =>
      ctx.tenant(async (tx) => toTaskView(await cancelTask({ tx, ...actorOf(ctx), id: input.id }))),
    ),

  retry: write
    .input(taskIdInput)
    .output(taskView)
    .mutation(({ ctx, input }) =>
      ctx.tenant(async (tx) => toTaskView(await retryTask({ tx, ...actorOf(ctx), id: input.id }))),
    ),

  actions: read
    .output(z.array(actionView))
    .query(({ ctx }) => ctx.tenant((tx) => listTaskActions({ tx, workspaceId: ctx.workspace.id }))),

  defineAction: write
    .input(defineActionInput)
    .output(actionView)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => defineTaskAction({ tx, ...actorOf(ctx), input })),
    ),

  removeAction: write
    .input(z.object({ name: actionName }))
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => removeTaskAction({ tx, ...actorOf(ctx), name: input.name })),
    ),
});
