import type { Locale } from "@/i18n/locales";

// Headers the importer maps by name (header-map.ts); `ciudad`/`city` becomes an attribute.
const SAMPLE: Record<Locale, string[][]> = {
  es: [
    ["telefono", "nombre", "sustantivo", "grupo", "ciudad"],
    ["0981 123 456", "María Núñez", "Sra.", "Clientes|VIP", "Asunción"],
    ["+595 982 200002", "José Benítez", "Sr.", "Clientes", "Luque"],
  ],
  en: [
    ["phone", "name", "salutation", "group", "city"],
    ["0981 123 456", "María Núñez", "Ms.", "Customers|VIP", "Asunción"],
    ["+595 982 200002", "José Benítez", "Mr.", "Customers", "Luque"],
  ],
};

/** A small CSV to start from, in the reader's language: the columns the importer knows. */
export function sampleImportCsv(locale: Locale): string {
  // Plain cells (no delimiter, quote or formula guard needed): phones read back as written.
  return "\uFEFF" + SAMPLE[locale].map((cells) => cells.join(",") + "\r\n").join("");
}
