import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MembersPanel } from "@/modules/workspaces/components/members-panel";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("team") };
}

export default function TeamPage() {
  return <MembersPanel />;
}
