import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";

/** Title, description and the way back to the contacts list, on every import page. */
export async function ImportPageHeader() {
  const t = await getTranslations("imports");
  return (
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
  );
}
