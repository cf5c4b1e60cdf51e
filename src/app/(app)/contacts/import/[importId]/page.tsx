import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ImportPageHeader } from "@/modules/contacts/components/import-page-header";
import { ImportHistory } from "@/modules/contacts/components/import-history";
import { ImportRun } from "@/modules/contacts/components/import-run";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("imports");
  return { title: t("title") };
}

/** One import: its column mapping, live progress or result, whichever its status calls for. */
export default async function ContactsImportRunPage({
  params,
}: {
  params: Promise<{ importId: string }>;
}) {
  const parsed = z.uuid().safeParse((await params).importId);
  if (!parsed.success) notFound();
  const { current } = await getCurrentAccess();
  const canWrite = !!current && can(current.role, "contacts:write");
  return (
    <>
      <ImportPageHeader />
      <ImportRun key={parsed.data} importId={parsed.data} canWrite={canWrite} />
      <ImportHistory />
    </>
  );
}
