"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/client";
import type { CampaignView } from "../campaigns.schema";
import { useScheduleText } from "./schedule-text";

/** What the campaign was built from: audience, templates, bots, schedule and cool-off. */
export function CampaignDefinitionCard({ campaign }: { campaign: CampaignView }) {
  const t = useTranslations("campaigns");
  const sourceLabel = useTranslations("contacts.source");
  const format = useFormatter();
  const scheduleText = useScheduleText();
  const trpc = useTRPC();
  const groups = useQuery(trpc.groups.options.queryOptions({}));
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? "…";
  const botName = (id: string) => bots.data?.rows.find((b) => b.id === id)?.name ?? "…";
  const { audience } = campaign;

  const audienceText = [
    audience.groupIds.length
      ? format.list(audience.groupIds.map(groupName), { type: "conjunction" })
      : t("detail.allContacts"),
    audience.excludeGroupIds.length
      ? t("detail.excluding", {
          groups: format.list(audience.excludeGroupIds.map(groupName), { type: "conjunction" }),
        })
      : null,
    audience.sources.length
      ? t("detail.sourcesOnly", {
          sources: format.list(
            audience.sources.map((s) => sourceLabel(s)),
            { type: "disjunction" },
          ),
        })
      : null,
  ]
    .filter(Boolean)
    .join(", ");

  const row = (label: string, value: ReactNode) => (
    <div className="grid gap-0.5 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{value}</dd>
    </div>
  );

  return (
    <Card className="gap-3">
      <CardHeader>
        <CardTitle>
          <h2>{t("detail.definition")}</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-3 text-sm">
          {row(t("detail.audience"), audienceText)}
          {row(
            t("detail.templates", { count: campaign.templates.length }),
            <ol className="grid gap-2">
              {campaign.templates.map((tpl, i) => (
                <li key={i} className="rounded-md border bg-muted/30 px-3 py-2">
                  {tpl.kind === "text" ? (
                    <p className="line-clamp-3 whitespace-pre-line break-words">{tpl.body}</p>
                  ) : (
                    <p className="break-words">
                      <span className="font-mono text-xs">{tpl.name}</span>{" "}
                      <Badge variant="outline">{tpl.language}</Badge>{" "}
                      <span className="text-muted-foreground">{tpl.params.join(" · ")}</span>
                    </p>
                  )}
                </li>
              ))}
            </ol>,
          )}
          {row(
            t("detail.bots"),
            <span className="flex flex-wrap gap-1">
              {campaign.botIds.map((id) => (
                <Badge key={id} variant="secondary">
                  {botName(id)}
                </Badge>
              ))}
            </span>,
          )}
          {row(t("detail.schedule"), scheduleText(campaign.schedule))}
          {row(
            t("detail.cooloff"),
            campaign.cooloffDays === null
              ? t("detail.cooloffDefault")
              : t("detail.cooloffOverride", {
                  days: campaign.cooloffDays,
                  reason: campaign.cooloffReason ?? "",
                }),
          )}
        </dl>
      </CardContent>
    </Card>
  );
}
