import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { WorkspaceSettingsForm } from "@/modules/workspaces/components/workspace-settings-form";
import { getCurrentAccess } from "@/server/auth/current-access";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("general") };
}

export default async function GeneralSettingsPage() {
  const { current } = await getCurrentAccess();
  if (!current) return null;
  const { name, defaultCountry, timeZone } = current.workspace;
  return (
    <WorkspaceSettingsForm
      key={current.workspace.id}
      initial={{ name, defaultCountry, timeZone }}
    />
  );
}
