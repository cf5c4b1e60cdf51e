import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GroupsPanel } from "@/modules/contacts/components/groups-panel";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("contacts.groups");
  return { title: t("title") };
}

export default function GroupsPage() {
  return <GroupsPanel />;
}
