import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { listFiltersFromParams } from "@/modules/campaigns/components/campaigns-url";
import { CampaignsView } from "@/modules/campaigns/components/campaigns-view";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns");
  return { title: t("title") };
}

export default async function CampaignsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  return <CampaignsView initial={listFiltersFromParams(await searchParams)} />;
}
