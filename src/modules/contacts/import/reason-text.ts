import type { Locale } from "@/i18n/locales";
import { renderStoredError } from "@/lib/error-text";

/**
 * Rejection reasons are stored as error codes (`phone.tooShort`, `import.nameTooLong
 * {"max":200}`) and written in the reader's language where people read them: the
 * rejected-rows download. Reasons stored before codes are shown as they were written.
 */
export function localizeReason(reason: string, locale: Locale): string {
  return renderStoredError(reason, locale);
}

/**
 * The two columns the rejected-rows file adds after the file's own: header-map.ts ignores
 * them, so the fixed file imports as it is.
 */
export const REJECTED_EXTRA_HEADER: Record<Locale, [string, string]> = {
  es: ["fila_rechazada", "motivo_rechazo"],
  en: ["rejected_row", "rejection_reason"],
};
