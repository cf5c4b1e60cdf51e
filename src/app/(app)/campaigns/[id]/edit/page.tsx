import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { CampaignBuilderPage } from "@/modules/campaigns/components/campaign-builder";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns.builder");
  return { title: t("editTitle") };
}

/** A draft in the builder; a launched campaign says so and links to its page. */
export default async function EditCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  const { current } = await getCurrentAccess();
  if (!current || !can(current.role, "campaigns:write")) forbidden();
  return <CampaignBuilderPage key={parsed.data} id={parsed.data} />;
}
