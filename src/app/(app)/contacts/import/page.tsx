import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ImportPageHeader } from "@/modules/contacts/components/import-page-header";
import { env } from "@/env";
import { ImportHistory } from "@/modules/contacts/components/import-history";
import { ImportSteps } from "@/modules/contacts/components/import-steps";
import { ImportUpload } from "@/modules/contacts/components/import-upload";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

export default async function ContactsImportPage() {
  const { current } = await getCurrentAccess();
  const t = await getTranslations("imports");
  const canWrite = !!current && can(current.role, "contacts:write");
  return (
    <>
      <ImportPageHeader />
      {canWrite ? (
        <>
          <ImportSteps current="upload" />
          <ImportUpload maxBytes={env.IMPORT_MAX_BYTES} />
        </>
      ) : (
        <p role="note" className="rounded-lg border bg-muted/30 p-4 text-sm text-muted-foreground">
          {t("readOnly")}
        </p>
      )}
      <ImportHistory />
    </>
  );
}
