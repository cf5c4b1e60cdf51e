import { AppError } from "@/lib/errors";
import {
  botSendCountsToday,
  botInUseByCampaigns,
  wakeBotCampaigns,
} from "@/modules/campaigns/campaign-bots";
import { botDailyActivity } from "@/modules/stats/bot-activity.service";
import { openTaskCounts } from "@/modules/tasks/task-stats.service";
import { actorOf, assertCan, createTRPCRouter, requirePermission } from "@/server/trpc";
import { agentSettingsInput, agentSettingsView, rotateSecretInput } from "./agents.schema";
import { getAgentSettings, updateAgentSettings } from "./agents.service";
import {
  botDetailView,
  botIdInput,
  createBotInput,
  listBotsInput,
  updateBotInput,
} from "./bots.schema";
import {
  createBot,
  deleteBot,
  getBot,
  listBots,
  rotateBotSecret,
  setBotStatus,
  toBotView,
  updateBot,
} from "./bots.service";

const read = requirePermission("bots:read");
/** How many days of sends the detail page shows. */
const LAST_DAYS = 7;
const write = requirePermission("bots:write");
/** Issuing a bot's new signing secret, or changing its stored credentials, manages secrets: admins. */
const secrets = requirePermission("secrets:manage");

export const botsRouter = createTRPCRouter({
  list: read.input(listBotsInput).query(({ ctx, input }) =>
    ctx.tenant(async (tx) => {
      const { rows, total } = await listBots({ tx, workspaceId: ctx.workspace.id, ...input });
      const counts = await botSendCountsToday(
        tx,
        ctx.workspace,
        rows.map((b) => b.id),
      );
      return { rows: rows.map((b) => toBotView(b, counts.get(b.id))), total };
    }),
  ),

  /** One bot with today's counts and its last week, day by day (the detail page). */
  get: read
    .input(botIdInput)
    .output(botDetailView)
    .query(({ ctx, input }) =>
      ctx.tenant(async (tx) => {
        const workspaceId = ctx.workspace.id;
        const bot = await getBot({ tx, workspaceId, id: input.id });
        const counts = await botSendCountsToday(tx, ctx.workspace, [bot.id]);
        const lastDays = await botDailyActivity({
          tx,
          workspaceId,
          timeZone: ctx.workspace.timeZone,
          botId: bot.id,
          days: LAST_DAYS,
        });
        return { ...toBotView(bot, counts.get(bot.id)), lastDays };
      }),
    ),

  /** The only answers that carry a generated secret (shown once). */
  create: write.input(createBotInput).mutation(({ ctx, input }) =>
    ctx.tenant(async (tx) => {
      const { bot, secret } = await createBot({ tx, ...actorOf(ctx), input });
      return { bot: toBotView(bot), secret };
    }),
  ),
  rotateSecret: secrets.input(rotateSecretInput).mutation(({ ctx, input }) =>
    ctx.tenant(async (tx) => {
      const { bot, secret } = await rotateBotSecret({ tx, ...actorOf(ctx), ...input });
      return { bot: toBotView(bot), secret };
    }),
  ),

  agentSettings: read
    .input(botIdInput)
    .output(agentSettingsView)
    .query(({ ctx, input }) =>
      ctx.tenant((tx) => getAgentSettings({ tx, workspaceId: ctx.workspace.id, id: input.id })),
    ),
  updateAgentSettings: write
    .input(agentSettingsInput)
    .output(agentSettingsView)
    .mutation(({ ctx, input }) =>
      ctx.tenant((tx) => updateAgentSettings({ tx, ...actorOf(ctx), input })),
    ),

  update: write.input(updateBotInput).mutation(({ ctx, input }) => {
    if (Object.keys(input.credentials ?? {}).length > 0) assertCan(ctx.role, "secrets:manage");
    return ctx.tenant(async (tx) => toBotView(await updateBot({ tx, ...actorOf(ctx), input })));
  }),

  pause: write.input(botIdInput).mutation(({ ctx, input }) =>
    ctx.tenant(async (tx) =>
      toBotView(
        await setBotStatus({
          tx,
          ...actorOf(ctx),
          id: input.id,
          status: "paused",
          reason: "manual",
        }),
      ),
    ),
  ),

  resume: write.input(botIdInput).mutation(async ({ ctx, input }) => {
    const bot = await ctx.tenant((tx) =>
      setBotStatus({ tx, ...actorOf(ctx), id: input.id, status: "active" }),
    );
    await wakeBotCampaigns(ctx.workspace.id, bot.id);
    return toBotView(bot);
  }),

  delete: write.input(botIdInput).mutation(({ ctx, input }) =>
    ctx.tenant(async (tx) => {
      const workspaceId = ctx.workspace.id;
      // A task an agent holds settles its campaign recipient when it ends; deleting the bot
      // deletes its tasks, and that recipient would stay `sending` for good.
      const open = await openTaskCounts({ tx, workspaceId, botId: input.id });
      if (open.leased + open.running > 0) throw new AppError("CONFLICT", "bot.tasksInFlight");
      return deleteBot({
        tx,
        ...actorOf(ctx),
        id: input.id,
        inUse: await botInUseByCampaigns(tx, workspaceId, input.id),
      });
    }),
  ),
});
