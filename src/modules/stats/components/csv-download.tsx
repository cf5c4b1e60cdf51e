"use client";

import { Download } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { toCsvLine } from "@/modules/contacts/import/csv-escape";

/**
 * Downloads a table as CSV, built in the browser from what is on screen; every cell goes
 * through the contacts export's guard (formula-looking text gets a leading `'`).
 */
export function CsvDownload({
  fileName,
  header,
  rows,
  disabled,
}: {
  fileName: string;
  header: string[];
  rows: (string | number | null)[][];
  disabled?: boolean;
}) {
  const t = useTranslations("stats");
  const download = () => {
    const text = [header, ...rows]
      .map((r) => toCsvLine(r.map((c) => (c === null ? "" : String(c)))))
      .join("");
    const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
    link.click();
    // Revoked once the browser has surely taken the file (at once can cancel the download).
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <Button variant="outline" size="sm" onClick={download} disabled={disabled || rows.length === 0}>
      <Download aria-hidden />
      {t("csv")}
    </Button>
  );
}
