"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { BotView } from "../bots.schema";

/** Form messages are keys under `bots.errors` (`range:1:64`); anything else shows as is. */
export function useBotErrorText() {
  const t = useTranslations("bots.errors");
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    const [key = "", min, max] = message.split(":");
    return t.has(key) ? t(key, { min: min ?? "", max: max ?? "" }) : message;
  };
}

/** A status reason code (`manual`, `wa_190`, `http_401`, `ib_rejected_source`) in words. */
export function useBotReasonText() {
  const t = useTranslations("bots.reasons");
  return (code: string | null): string | null => {
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

const STATUS_STYLE: Record<BotView["status"], string> = {
  active: "border-success/50 bg-success/15 text-foreground",
  paused: "border-warning/50 bg-warning/10 text-foreground",
  disabled: "",
  error: "",
};

export function BotStatusBadge({ bot }: { bot: Pick<BotView, "status" | "statusReason"> }) {
  const t = useTranslations("bots.status");
  const reasonText = useBotReasonText();
  const reason = reasonText(bot.statusReason);
  return (
    <div className="grid gap-0.5">
      <Badge
        variant={
          bot.status === "error"
            ? "destructive"
            : bot.status === "disabled"
              ? "outline"
              : "secondary"
        }
        className={cn(STATUS_STYLE[bot.status])}
      >
        <span
          aria-hidden
          className={cn(
            "size-1.5 rounded-full bg-current",
            bot.status === "active" && "bg-success",
            bot.status === "paused" && "bg-warning",
            bot.status === "disabled" && "bg-muted-foreground",
          )}
        />
        {t(bot.status)}
      </Badge>
      {reason && (
        <span className="max-w-56 text-xs whitespace-normal text-muted-foreground">{reason}</span>
      )}
    </div>
  );
}

/** "2/s · 1.000/día · espera 1–3 s · silencio 22:00–08:00", or "Sin límites". */
export function usePacingSummary() {
  const t = useTranslations("bots.pacing");
  const format = useFormatter();
  const n = (v: number) => format.number(v, { maximumFractionDigits: 2 });
  return (bot: BotView): string => {
    const parts: string[] = [];
    if (bot.ratePerSecond) parts.push(t("perSecond", { n: n(bot.ratePerSecond) }));
    if (bot.ratePerMinute) parts.push(t("perMinute", { n: n(bot.ratePerMinute) }));
    if (bot.dailyCap) parts.push(t("dailyCap", { n: n(bot.dailyCap) }));
    if (bot.dailyUniqueCap) parts.push(t("uniqueCap", { n: bot.dailyUniqueCap }));
    if (bot.delayMaxMs > 0) {
      parts.push(t("delay", { min: n(bot.delayMinMs / 1000), max: n(bot.delayMaxMs / 1000) }));
    }
    if (bot.quietStart && bot.quietEnd) {
      parts.push(t("quiet", { start: bot.quietStart, end: bot.quietEnd }));
    }
    return parts.length ? parts.join(" · ") : t("none");
  };
}
