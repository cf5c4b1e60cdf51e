import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { forbidden } from "next/navigation";
import { ApiKeysPanel } from "@/modules/apikeys/components/api-keys-panel";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("apikeys");
  return { title: t("title") };
}

export default async function ApiKeysPage() {
  const { current } = await getCurrentAccess();
  if (!current || !can(current.role, "apikeys:manage")) forbidden();
  return <ApiKeysPanel />;
}
