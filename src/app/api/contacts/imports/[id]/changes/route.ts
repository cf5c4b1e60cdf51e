import { importChangesCsv } from "@/modules/contacts/import/changes-csv";
import { importCsvGet } from "../import-csv-response";

/** An import's whole change list (phone, field, before, after) as CSV. */
export const GET = importCsvGet(importChangesCsv, { es: "cambios", en: "changes" });
