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
  [/^name longer than (\d+) characters$/, (m) => `nombre de más de ${m[1]} caracteres`],
  [/^salutation longer than (\d+) characters$/, (m) => `sustantivo de más de ${m[1]} caracteres`],
  [
    /^attribute (\w+) longer than (\d+) characters$/,
    (m) => `atributo ${m[1]} de más de ${m[2]} caracteres`,
  ],
  [/^more than (\d+) attributes$/, (m) => `más de ${m[1]} atributos`],
  [/^more than (\d+) groups$/, (m) => `más de ${m[1]} grupos`],
  [
    /^group name longer than (\d+) characters$/,
    (m) => `nombre de grupo de más de ${m[1]} caracteres`,
  ],
  [
    /^group name contains invisible characters$/,
    () => "el nombre de grupo contiene caracteres invisibles",
  ],
];

export function localizeReason(reason: string, locale: Locale): string {
  if (locale !== "es") return reason;
  for (const [pattern, text] of SPANISH) {
    const m = pattern.exec(reason);
    if (m) return text(m);
  }
  return reason;
}

/**
 * The two columns the rejected-rows file adds after the file's own: header-map.ts ignores
 * them, so the fixed file imports as it is.
 */
export const REJECTED_EXTRA_HEADER: Record<Locale, [string, string]> = {
  es: ["fila_rechazada", "motivo_rechazo"],
  en: ["rejected_row", "rejection_reason"],
};
