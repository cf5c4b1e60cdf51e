import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { CampaignDetail } from "@/modules/campaigns/components/campaign-detail";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("campaigns");
  return { title: t("title") };
}

/** One campaign: live progress, controls, failures, next runs and its recipients. */
export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  return <CampaignDetail key={parsed.data} id={parsed.data} />;
}
