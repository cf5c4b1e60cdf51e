import type { Locale } from "@/i18n/locales";

/**
 * Rejection reasons are stored in English (stable for API and CLI consumers) and shown in
 * the reader's language where people read them: the rejected-rows download.
 */
const SPANISH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^empty phone$/, () => "teléfono vacío"],
  [/^phone too long$/, () => "teléfono demasiado largo"],
  [/^phone contains letters$/, () => "el teléfono contiene letras"],
  [/^phone too short$/, () => "teléfono demasiado corto"],
  [/^row contains a NUL character$/, () => "la fila contiene un carácter NUL"],
  [/^not a valid phone number for (\w+)$/, (m) => `no es un número válido para ${m[1]}`],
];

export function localizeReason(reason: string, locale: Locale): string {
  if (locale !== "es") return reason;
  for (const [pattern, text] of SPANISH) {
    const m = pattern.exec(reason);
    if (m) return text(m);
  }
  return reason;
}

export const REJECTED_HEADER: Record<Locale, [string, string, string]> = {
  es: ["fila", "motivo", "contenido"],
  en: ["row", "reason", "content"],
};
