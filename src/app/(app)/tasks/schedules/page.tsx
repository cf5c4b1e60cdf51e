import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SchedulesView } from "@/modules/schedules/components/schedules-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("schedules");
  return { title: t("title") };
}

export default function SchedulesPage() {
  return <SchedulesView />;
}
