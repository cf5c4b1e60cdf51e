import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { BotDetail } from "@/modules/bots/components/bot-detail";
import { botExists } from "@/modules/bots/bots.service";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("bots.detail");
  return { title: t("title") };
}

/** One bot (a click on a row of the Bots page); another workspace's id is not found here. */
export default async function BotPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  const { current } = await getCurrentAccess();
  if (!current || !(await botExists(current.workspace.id, parsed.data))) notFound();
  return (
    <BotDetail
      key={parsed.data}
      id={parsed.data}
      canWrite={can(current.role, "bots:write")}
      canManageSecrets={can(current.role, "secrets:manage")}
    />
  );
}
