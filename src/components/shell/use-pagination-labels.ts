"use client";

import { useTranslations } from "next-intl";

/** Translated labels for PaginationBar. */
export function usePaginationLabels(page: number, pages: number) {
  const t = useTranslations("common");
  return {
    previous: t("previous"),
    next: t("next"),
    status: t("pageOf", { page, pages: Math.max(pages, 1) }),
  };
}
