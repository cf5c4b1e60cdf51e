"use client";

import { Loader2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { cn } from "@/lib/utils";
import type { CampaignCounts, CampaignView, RecipientView } from "../campaigns.schema";

export type CampaignStatus = CampaignView["status"];
export type RecipientStatus = RecipientView["status"];

/** Statuses whose counters still move: the page listens to the live progress stream. */
export const LIVE_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  "scheduled",
  "running",
  "paused",
]);
export const TERMINAL_STATUSES: ReadonlySet<CampaignStatus> = new Set([
  "completed",
  "canceled",
  "failed",
]);

/** Recipients with a final outcome: sent (delivered and read included), failed, skipped, canceled. */
export function doneOf(c: CampaignCounts): number {
  return c.sent + c.failed + c.skipped + c.canceled + c.unknown;
}

/** 0..1 of the campaign settled; null while nobody is materialized yet. */
export function progressOf(c: CampaignCounts): number | null {
  return c.total > 0 ? Math.min(1, doneOf(c) / c.total) : null;
}

/** A reason code (`failure_spike`, `wa_131048`, `opted_out`, `http_503`) in words. */
export function useReasonText() {
  const t = useTranslations("campaigns.reasons");
  return (code: string | null | undefined): string | null => {
    if (!code) return null;
    if (t.has(code)) return t(code);
    const wa = /^wa_(\d+)$/.exec(code);
    if (wa) return t("wa", { code: wa[1]! });
    const http = /^http_(\d+)$/.exec(code);
    if (http) return t("http", { status: http[1]! });
    if (code.startsWith("ib_")) return t("ib", { name: code.slice(3).replace(/_/g, " ") });
    return t("other", { code });
  };
}

const STATUS_STYLE: Partial<Record<CampaignStatus, string>> = {
  running: "border-primary/30 bg-primary/10 text-foreground",
  completed: "border-success/50 bg-success/15 text-foreground",
  paused: "border-warning/50 bg-warning/15 text-foreground",
  scheduled: "border-chart-2/40 bg-chart-2/10 text-foreground",
};

/** The campaign's status; a paused one also says why (a person, or the send path's reason). */
export function CampaignStatusBadge({
  status,
  reason,
  showReason = true,
  testId,
}: {
  status: CampaignStatus;
  reason: string | null;
  showReason?: boolean;
  testId?: string;
}) {
  const t = useTranslations("campaigns.status");
  const reasonText = useReasonText();
  const why = status === "paused" ? reasonText(reason ?? "manual") : reasonText(reason);
  return (
    <span className="inline-grid gap-0.5">
      <Badge
        variant={
          status === "failed"
            ? "destructive"
            : status === "draft" || status === "canceled"
              ? "outline"
              : "secondary"
        }
        className={cn(STATUS_STYLE[status])}
        title={why ?? undefined}
      >
        {status === "running" && (
          <Loader2 className="animate-spin motion-reduce:animate-none" aria-hidden />
        )}
        <span data-testid={testId}>{t(status)}</span>
      </Badge>
      {showReason && why && (
        <span className="max-w-64 text-xs whitespace-normal text-muted-foreground">{why}</span>
      )}
    </span>
  );
}

const RECIPIENT_STYLE: Partial<Record<RecipientStatus, string>> = {
  sent: "border-success/40 bg-success/10 text-foreground",
  delivered: "border-success/50 bg-success/15 text-foreground",
  read: "border-success/60 bg-success/25 text-foreground",
  skipped: "border-warning/50 bg-warning/10 text-foreground",
};

export function RecipientStatusBadge({ status }: { status: RecipientStatus }) {
  const t = useTranslations("campaigns.recipientStatus");
  return (
    <Badge
      variant={
        status === "failed"
          ? "destructive"
          : status === "queued" || status === "canceled"
            ? "outline"
            : "secondary"
      }
      className={cn(RECIPIENT_STYLE[status])}
    >
      {t(status)}
    </Badge>
  );
}

/** The campaign's progress bar with "42 % · 21 de 50" beside it. */
export function CampaignProgress({
  name,
  counts,
  compact = false,
}: {
  name: string;
  counts: CampaignCounts;
  compact?: boolean;
}) {
  const t = useTranslations("campaigns.progress");
  const format = useFormatter();
  const fraction = progressOf(counts);
  const percent = format.number(fraction ?? 0, { style: "percent" });
  const text =
    fraction === null
      ? t("waiting")
      : t("value", {
          percent,
          done: format.number(doneOf(counts)),
          total: format.number(counts.total),
        });
  return (
    <div className={cn("grid gap-1.5", compact ? "min-w-36" : "")}>
      <ProgressBar
        value={fraction === null ? 0 : fraction * 100}
        label={compact ? t("label", { name }) : t("bar")}
        valueText={text}
      />
      <span className={cn("text-muted-foreground tabular-nums", compact ? "text-xs" : "text-sm")}>
        {text}
      </span>
    </div>
  );
}

/** "1 h 5 min", "3 min 20 s", "45 s". */
export function useFormatDuration() {
  const format = useFormatter();
  return (totalSeconds: number) => {
    const s = Math.max(0, Math.round(totalSeconds));
    const parts: [number, "day" | "hour" | "minute" | "second"][] = [
      [Math.floor(s / 86400), "day"],
      [Math.floor((s % 86400) / 3600), "hour"],
      [Math.floor((s % 3600) / 60), "minute"],
      [s % 60, "second"],
    ];
    const shown = parts.filter(([n], i) => n > 0 || (i === 3 && s < 60)).slice(0, 2);
    return shown
      .map(([n, unit]) => format.number(n, { style: "unit", unit, unitDisplay: "short" }))
      .join(" ");
  };
}
