import { BarChart3 } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { getCurrentAccess } from "@/server/auth/current-access";

export default async function DashboardPage() {
  const { session, current } = await getCurrentAccess();
  const t = await getTranslations("dashboard");
  const shell = await getTranslations("shell");
  return (
    <>
      <PageHeader
        title={t("welcome", { name: session.user.name ?? session.user.email ?? "" })}
        description={
          current
            ? t("intro", { workspace: current.workspace.name, role: shell(`role_${current.role}`) })
            : undefined
        }
      />
      <EmptyState icon={<BarChart3 />} title={t("emptyTitle")} description={t("emptyBody")} />
    </>
  );
}
