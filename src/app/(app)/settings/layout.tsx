import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { TabLinks } from "@/components/shell/tab-links";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { current } = await getCurrentAccess();
  if (!current || !can(current.role, "settings:manage")) forbidden();
  const t = await getTranslations("settings");
  const apiKeys = await getTranslations("apikeys");
  const tabs = [
    { href: "/settings/team", label: t("team") },
    { href: "/settings/audit", label: t("audit") },
    { href: "/settings/api-keys", label: apiKeys("tab") },
    { href: "/settings/general", label: t("general") },
  ];
  return (
    <>
      <PageHeader title={t("title")} />
      <TabLinks label={t("title")} tabs={tabs} />
      {children}
    </>
  );
}
