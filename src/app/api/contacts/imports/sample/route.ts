import { toLocale } from "@/i18n/locales";
import { sampleImportCsv } from "@/modules/contacts/import/sample-csv";

/** The import page's sample CSV, in the reader's language. */
export function GET(req: Request) {
  const locale = toLocale(/(?:^|;\s*)NEXT_LOCALE=(\w+)/.exec(req.headers.get("cookie") ?? "")?.[1]);
  const name = locale === "es" ? "contactos-ejemplo.csv" : "contacts-sample.csv";
  return new Response(sampleImportCsv(locale), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
