import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LogsView } from "@/modules/tasks/components/logs-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("logs") };
}

export default function LogsPage() {
  return <LogsView />;
}
