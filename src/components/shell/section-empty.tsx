import type { LucideIcon } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "./page-header";

type Section = "contacts" | "campaigns" | "bots" | "logs";

/** A section whose feature has not landed yet: an honest empty state, never sample data. */
export async function SectionEmpty({
  section,
  icon: Icon,
}: {
  section: Section;
  icon: LucideIcon;
}) {
  const nav = await getTranslations("nav");
  const t = await getTranslations("empty");
  return (
    <>
      <PageHeader title={nav(section)} />
      <EmptyState icon={<Icon />} title={t(`${section}Title`)} description={t(`${section}Body`)} />
    </>
  );
}
