/**
 * Error codes rendered as text on the server, from the same catalogs the client uses: the
 * English `message` REST keeps beside the code, and stored codes written into files people
 * download in their language (the rejected-rows CSV).
 */
import { createTranslator } from "use-intl/core";
import en from "../../messages/en/errors.json";
import es from "../../messages/es/errors.json";
import type { Locale } from "@/i18n/locales";
import { decodeErrorRef, type ErrorRef } from "./error-ref";

const translators = {
  en: createTranslator({ locale: "en", messages: { errors: en }, namespace: "errors" }),
  es: createTranslator({ locale: "es", messages: { errors: es }, namespace: "errors" }),
};

export function renderErrorRef(ref: ErrorRef, locale: Locale = "en"): string {
  const t = translators[locale];
  return t.has(ref.key) ? t(ref.key, ref.params) : ref.key;
}

/** A stored code (`import.nameTooLong {"max":200}`) in the reader's words; other text as is. */
export function renderStoredError(text: string, locale: Locale): string {
  const ref = decodeErrorRef(text);
  return ref ? renderErrorRef(ref, locale) : text;
}
