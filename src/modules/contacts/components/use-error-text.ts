"use client";

import { useTranslations } from "next-intl";
import { looksLikeErrorKey } from "@/lib/error-ref";
import { useErrorMessage } from "@/lib/trpc/error-message";

/**
 * Form messages are i18n keys (`phoneRequired`, `tooLong:200`) under `contacts.errors`, or
 * error codes of the shared schemas (`contact.phoneRequired`) under `errors`; anything else
 * (a server message, already in the reader's language) is shown as it is.
 */
export function useErrorText() {
  const t = useTranslations("contacts.errors");
  const { errorRefText } = useErrorMessage();
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    if (looksLikeErrorKey(message)) return errorRefText({ key: message });
    const [key = "", arg] = message.split(":");
    return t.has(key) ? t(key, { max: Number(arg ?? 0) }) : message;
  };
}
