import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ContactsView } from "@/modules/contacts/components/contacts-view";
import { filtersFromParams } from "@/modules/contacts/components/contacts-url";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("contacts");
  return { title: t("title") };
}

export default async function ContactsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <ContactsView initial={filtersFromParams(await searchParams)} />;
}
