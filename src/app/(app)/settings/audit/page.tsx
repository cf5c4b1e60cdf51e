import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AuditTable } from "@/modules/audit/components/audit-table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("audit") };
}

export default function AuditPage() {
  return <AuditTable />;
}
