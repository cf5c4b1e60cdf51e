import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { CampaignBuilderPage } from "@/modules/campaigns/components/campaign-builder";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.builder");
  return { title: t("newTitle") };
}

export default async function NewCampaignPage() {
  const { current } = await getCurrentAccess();
  if (!current || !can(current.role, "campaigns:write")) forbidden();
  return <CampaignBuilderPage />;
}
