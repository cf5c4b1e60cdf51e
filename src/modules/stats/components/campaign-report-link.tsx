"use client";

import { ChartColumn } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";

/** The campaign page's way to its report. */
export function CampaignReportLink({ campaignId }: { campaignId: string }) {
  const t = useTranslations("stats.report");
  return (
    <Link
      href={`/campaigns/${campaignId}/report`}
      className="inline-flex items-center gap-1 underline underline-offset-4"
    >
      <ChartColumn className="size-3.5" aria-hidden />
      {t("open")}
    </Link>
  );
}
