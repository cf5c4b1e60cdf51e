import { rejectedRowsCsv } from "@/modules/contacts/import/rejected-csv";
import { importCsvGet } from "../import-csv-response";

/** An import's rejected rows, in the file's own columns plus row number and reason, as CSV. */
export const GET = importCsvGet(rejectedRowsCsv, { es: "rechazadas", en: "rejected" });
