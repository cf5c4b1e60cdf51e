import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { TasksView } from "@/modules/tasks/components/tasks-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("tasks");
  return { title: t("title") };
}

/** `?bot=<id>` opens the list filtered by that bot (the bot page links here). */
export default async function TasksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { bot } = await searchParams;
  const botId = typeof bot === "string" && z.uuid().safeParse(bot).success ? bot : "";
  return <TasksView initialBotId={botId} />;
}
