import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";

export default async function Forbidden() {
  const t = await getTranslations("settings");
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-4 p-6 text-center">
      <ShieldAlert className="size-10 text-destructive" aria-hidden />
      <h1 className="text-2xl font-semibold">{t("forbiddenTitle")}</h1>
      <p className="max-w-md text-muted-foreground">{t("forbiddenBody")}</p>
      <Button asChild variant="outline">
        <Link href="/dashboard">{t("backToDashboard")}</Link>
      </Button>
    </main>
  );
}
