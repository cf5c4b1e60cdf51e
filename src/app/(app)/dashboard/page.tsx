import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";
import { Suspense } from "react";
import { DashboardView } from "@/modules/stats/components/dashboard-view";
import { ContactsSummary } from "./contacts-summary";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

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
      {current && can(current.role, "dashboard:read") && (
        // The filters live in the URL (useSearchParams): the view renders under Suspense.
        <Suspense>
          <DashboardView />
        </Suspense>
      )}
      {current && (
        <div className="mt-6">
          <ContactsSummary
            workspaceId={current.workspace.id}
            canImport={can(current.role, "contacts:write")}
          />
        </div>
      )}
    </>
  );
}
