import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
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
  const t = await getTranslations("imports");
  const canWrite = !!current && can(current.role, "contacts:write");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Button variant="ghost" asChild>
            <Link href="/contacts">
              <ArrowLeft aria-hidden />
              {t("backToContacts")}
            </Link>
          </Button>
        }
      />
      <ImportRun key={parsed.data} importId={parsed.data} canWrite={canWrite} />
      <ImportHistory />
    </>
  );
}
