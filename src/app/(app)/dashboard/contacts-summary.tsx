import { Contact, Upload } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listContactsInput } from "@/modules/contacts/contacts.schema";
import { listContacts } from "@/modules/contacts/contacts.service";
import { ImportStatusBadge } from "@/modules/contacts/components/import-format";
import { listImports } from "@/modules/contacts/imports.service";
import { withTenant } from "@/server/db/tenant";

const RECENT_IMPORTS = 5;

/** The workspace's contacts at a glance: how many, and the latest imports with their outcome. */
export async function ContactsSummary({
  workspaceId,
  canImport,
}: {
  workspaceId: string;
  canImport: boolean;
}) {
  const t = await getTranslations("dashboard");
  const format = await getFormatter();
  const [contacts, imports] = await Promise.all([
    withTenant({ workspaceId }, (tx) =>
      listContacts({ tx, workspaceId, input: listContactsInput.parse({ pageSize: 10 }) }),
    ),
    listImports({ workspaceId, page: 1, pageSize: RECENT_IMPORTS }),
  ]);
  const importLink = canImport && (
    <Button variant="outline" size="sm" asChild>
      <Link href="/contacts/import">
        <Upload aria-hidden />
        {t("importContacts")}
      </Link>
    </Button>
  );

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("contactsTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("contactsBody")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="text-3xl font-semibold tabular-nums" data-testid="contacts-total">
            {contacts.totalIsEstimate
              ? t("contactsEstimate", { count: format.number(contacts.total) })
              : format.number(contacts.total)}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" asChild>
              <Link href="/contacts">
                <Contact aria-hidden />
                {t("viewContacts")}
              </Link>
            </Button>
            {contacts.total === 0 && importLink}
          </div>
        </CardContent>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle>
            <h2>{t("importsTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("importsBody")}</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {imports.rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("importsEmpty")}</p>
          ) : (
            <ul className="divide-y" aria-label={t("importsTitle")}>
              {imports.rows.map((imp) => (
                <li key={imp.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                  <Link
                    href={`/contacts/import/${imp.id}`}
                    className="min-w-0 flex-1 truncate font-medium underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none"
                    title={imp.fileName}
                  >
                    {imp.fileName}
                  </Link>
                  <ImportStatusBadge status={imp.status} dryRun={imp.dryRun} />
                  <span className="text-sm text-muted-foreground tabular-nums">
                    {imp.counts ? t("importRows", { count: imp.counts.processed }) : "—"}
                  </span>
                  <time
                    dateTime={imp.createdAt.toISOString()}
                    className="w-full text-xs text-muted-foreground sm:w-auto"
                  >
                    {format.dateTime(imp.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  </time>
                </li>
              ))}
            </ul>
          )}
          <div className="flex flex-wrap gap-2">
            {imports.total > 0 && (
              <Button variant="outline" size="sm" asChild>
                <Link href="/contacts/import">{t("allImports", { count: imports.total })}</Link>
              </Button>
            )}
            {imports.total === 0 && importLink}
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
