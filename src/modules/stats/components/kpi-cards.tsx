"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";

/** This month at a glance; refreshed every 5 s, like the counters behind it. */
export function KpiCards() {
  const t = useTranslations("stats.kpi");
  const format = useFormatter();
  const trpc = useTRPC();
  const { data } = useQuery({ ...trpc.stats.currentMonth.queryOptions(), refetchInterval: 5_000 });
  const percent = (v: number | null) =>
    v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 1 });
  const cards = data
    ? [
        {
          key: "sent",
          value: format.number(data.sent),
          note:
            data.change === null
              ? t("noPrevious")
              : t("vsPrevious", {
                  change: format.number(data.change, {
                    style: "percent",
                    maximumFractionDigits: 1,
                    signDisplay: "exceptZero",
                  }),
                }),
        },
        { key: "successRate", value: percent(data.successRate) },
        { key: "failed", value: format.number(data.failed) },
        { key: "activeCampaigns", value: format.number(data.activeCampaigns) },
        {
          key: "contacts",
          value: data.contactsIsEstimate
            ? t("moreThan", { count: format.number(data.contacts) })
            : format.number(data.contacts),
        },
        { key: "optedOut", value: format.number(data.optedOut) },
        { key: "botsOnline", value: format.number(data.botsOnline) },
      ]
    : null;
  const keys = [
    "sent",
    "successRate",
    "failed",
    "activeCampaigns",
    "contacts",
    "optedOut",
    "botsOnline",
  ] as const;
  return (
    <section
      aria-label={t("label")}
      className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7"
    >
      {keys.map((key, i) => {
        const card = cards?.[i];
        return (
          <Card key={key} className="gap-2 py-4" data-testid={`kpi-${key}`}>
            <CardHeader className="px-4">
              <CardTitle className="text-sm font-medium text-muted-foreground">{t(key)}</CardTitle>
            </CardHeader>
            <CardContent className="px-4">
              {card ? (
                <p className="text-2xl font-semibold tabular-nums" data-testid={`kpi-${key}-value`}>
                  {card.value}
                </p>
              ) : (
                <Skeleton className="h-8 w-20" />
              )}
              <p className="min-h-4 text-xs text-muted-foreground">
                {card && "note" in card ? card.note : ""}
              </p>
            </CardContent>
          </Card>
        );
      })}
    </section>
  );
}
