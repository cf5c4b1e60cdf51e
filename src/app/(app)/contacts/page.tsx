import { ContactsView } from "@/modules/contacts/components/contacts-view";
import { filtersFromParams } from "@/modules/contacts/components/contacts-url";

export default async function ContactsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <ContactsView initial={filtersFromParams(await searchParams)} />;
}
