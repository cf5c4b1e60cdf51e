import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ScrollText } from "lucide-react";
import { SectionEmpty } from "@/components/shell/section-empty";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("logs") };
}

export default function Page() {
  return <SectionEmpty section="logs" icon={ScrollText} />;
}
