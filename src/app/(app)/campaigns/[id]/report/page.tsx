import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { CampaignReport } from "@/modules/stats/components/campaign-report";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("stats.report");
  return { title: t("pageTitle") };
}

/** A campaign's report: funnel, failures by reason and timeline; CSV and a printable view. */
export default async function CampaignReportPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.uuid().safeParse((await params).id);
  if (!parsed.success) notFound();
  return <CampaignReport key={parsed.data} campaignId={parsed.data} />;
}
