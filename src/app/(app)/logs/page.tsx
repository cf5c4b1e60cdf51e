import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { LogsView } from "@/modules/tasks/components/logs-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("logs") };
}

/** `?bot=<id>` opens the list filtered by that bot (the bot page links here). */
export default async function LogsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { bot } = await searchParams;
  const botId = typeof bot === "string" && z.uuid().safeParse(bot).success ? bot : "";
  return <LogsView initialBotId={botId} />;
}
