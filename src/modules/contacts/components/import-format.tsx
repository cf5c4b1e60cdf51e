"use client";

import { Loader2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { ImportView } from "../imports.schema";

export type ImportStatus = ImportView["status"];
export type ImportCountsView = NonNullable<ImportView["counts"]>;

export const LIVE_STATUSES: ReadonlySet<ImportStatus> = new Set(["queued", "running"]);
export { EMPTY_COUNTS } from "../import-counts";

export const rejectedRowsHref = (importId: string) => `/api/contacts/imports/${importId}/rejected`;

/** The upload route answers plain JSON: dates arrive as strings, unlike tRPC (superjson). */
export function importViewFromJson(json: Record<string, unknown>): ImportView {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    ...(json as unknown as ImportView),
    startedAt: date(json.startedAt),
    finishedAt: date(json.finishedAt),
    createdAt: date(json.createdAt) ?? new Date(),
  };
}

/** "850 bytes", "1 byte", "12,4 kB", "3,2 MB" in the user's locale. */
export function useFormatBytes() {
  const format = useFormatter();
  const t = useTranslations("imports");
  return (bytes: number) => {
    // Intl has no plural for its "byte" unit ("99 byte"): small sizes are a message.
    if (bytes < 1024) return t("sizeBytes", { count: bytes });
    const [unit, value] =
      bytes >= 1024 ** 3
        ? (["gigabyte", bytes / 1024 ** 3] as const)
        : bytes >= 1024 ** 2
          ? (["megabyte", bytes / 1024 ** 2] as const)
          : (["kilobyte", bytes / 1024] as const);
    return format.number(value, { style: "unit", unit, maximumFractionDigits: 1 });
  };
}

/** "1 h 5 min", "3 min 20 s", "45 s". */
export function useFormatDuration() {
  const format = useFormatter();
  return (totalSeconds: number) => {
    const s = Math.max(0, Math.round(totalSeconds));
    const parts: [number, "hour" | "minute" | "second"][] = [
      [Math.floor(s / 3600), "hour"],
      [Math.floor((s % 3600) / 60), "minute"],
      [s % 60, "second"],
    ];
    const shown = parts.filter(([n], i) => n > 0 || (i === 2 && s < 60)).slice(0, 2);
    return shown
      .map(([n, unit]) => format.number(n, { style: "unit", unit, unitDisplay: "short" }))
      .join(" ");
  };
}

/** Human names for what the server sniffed: "Windows-1252 (Excel en español)", "punto y coma". */
export function useDetectionLabels() {
  const t = useTranslations("imports.mapping");
  return {
    encoding: (encoding: string) => {
      const e = encoding.toLowerCase().replace(/[^a-z0-9]/g, "");
      if (e === "utf8") return t("encoding_utf8");
      if (e === "windows1252" || e === "win1252" || e === "cp1252")
        return t("encoding_windows1252");
      if (e.startsWith("utf16")) return t("encoding_utf16");
      return encoding.toUpperCase();
    },
    delimiter: (delimiter: string) => {
      if (delimiter === ",") return t("delimiter_comma");
      if (delimiter === ";") return t("delimiter_semicolon");
      if (delimiter === "\t") return t("delimiter_tab");
      if (delimiter === "|") return t("delimiter_pipe");
      return `«${delimiter}»`;
    },
  };
}

export function ImportStatusBadge({ status, dryRun }: { status: ImportStatus; dryRun?: boolean }) {
  const t = useTranslations("imports");
  const variant =
    status === "failed"
      ? "destructive"
      : status === "uploaded" || status === "canceled"
        ? "outline"
        : "secondary";
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge
        variant={variant}
        className={cn(status === "completed" && "border-success/40 bg-success/10 text-success")}
      >
        {LIVE_STATUSES.has(status) && (
          <Loader2 className="animate-spin motion-reduce:animate-none" aria-hidden />
        )}
        {t(`status.${status}`)}
      </Badge>
      {dryRun && <Badge variant="outline">{t("history.dryRun")}</Badge>}
    </span>
  );
}

const COUNT_KEYS = [
  "processed",
  "inserted",
  "updated",
  "unchanged",
  "duplicates",
  "invalid",
] as const;

/** The counters as a definition list: label (dt) over value (dd). */
export function ImportCountsList({ counts, live }: { counts: ImportCountsView; live?: boolean }) {
  const t = useTranslations("imports.counts");
  const format = useFormatter();
  return (
    <dl
      aria-label={t("label")}
      aria-live={live ? "polite" : undefined}
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
    >
      {COUNT_KEYS.map((key) => (
        <div
          key={key}
          className={cn(
            "rounded-lg border bg-muted/30 px-3 py-2",
            key === "invalid" && counts.invalid > 0 && "border-destructive/40 bg-destructive/5",
          )}
        >
          <dt className="text-xs text-muted-foreground">{t(key)}</dt>
          <dd className="text-xl font-semibold tabular-nums">{format.number(counts[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
