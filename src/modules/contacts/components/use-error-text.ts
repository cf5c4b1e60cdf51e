"use client";

import { useTranslations } from "next-intl";

/**
 * Form messages are i18n keys (`phoneRequired`, `tooLong:200`) under `contacts.errors`;
 * anything else (a server message) is shown as it is.
 */
export function useErrorText() {
  const t = useTranslations("contacts.errors");
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    const [key = "", arg] = message.split(":");
    return t.has(key) ? t(key, { max: Number(arg ?? 0) }) : message;
  };
}
