"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";
import { Separator } from "@/components/ui/separator";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import type { CampaignDefinitionInput } from "../campaigns.schema";
import { useFormatDuration } from "./campaign-format";

/** "Before launching": audience, who will be messaged, who is skipped and why, how long it takes. */
export function BuilderSummary({
  definition,
  children,
}: {
  /** Null while the form lacks a bot or a complete template. */
  definition: CampaignDefinitionInput | null;
  /** The save and launch buttons. */
  children: ReactNode;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns.builder");
  const format = useFormatter();
  const formatDuration = useFormatDuration();
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.campaigns.preview.queryOptions(
      definition ?? {
        audience: { groupIds: [], excludeGroupIds: [], sources: [] },
        templates: [],
        botIds: [],
        cooloffDays: null,
        cooloffReason: null,
      },
    ),
    enabled: !!definition,
    placeholderData: keepPreviousData,
  });
  const data = definition ? preview.data : undefined;
  const n = (v: number) => format.number(v);

  const line = (label: string, value: ReactNode, className?: string) => (
    <div className={cn("flex items-baseline justify-between gap-3", className)}>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );

  return (
    <Card className="gap-4" role="region" aria-labelledby="builder-summary">
      <CardHeader>
        <CardTitle>
          <h2 id="builder-summary">{t("summary")}</h2>
        </CardTitle>
        <CardDescription>{t("summaryHint")}</CardDescription>
      </CardHeader>
      <CardContent aria-live="polite" aria-busy={preview.isFetching}>
        {!definition ? (
          <p className="text-sm text-muted-foreground">{t("summaryIncomplete")}</p>
        ) : preview.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {t("summaryError")} {errorMessage(preview.error)}
          </p>
        ) : !data ? (
          <p className="text-sm text-muted-foreground">…</p>
        ) : (
          <dl className={cn("grid gap-2 text-sm", preview.isPlaceholderData && "opacity-60")}>
            {line(t("audienceCount"), n(data.audience))}
            {line(t("willSend"), n(data.willSend), "text-base")}
            <Separator className="my-1" />
            {line(t("skipped"), n(data.audience - data.willSend))}
            {line(t("skippedOptedOut"), n(data.skipped.opted_out), "pl-3 text-xs")}
            {line(t("skippedCooloff"), n(data.skipped.cooloff), "pl-3 text-xs")}
            {line(t("skippedUnresolved"), n(data.skipped.unresolved_variable), "pl-3 text-xs")}
            <Separator className="my-1" />
            {line(
              t("duration"),
              data.estimatedSeconds === null
                ? t("durationUnknown")
                : formatDuration(data.estimatedSeconds),
            )}
          </dl>
        )}
      </CardContent>
      <CardFooter className="flex-wrap gap-2 border-t pt-4">{children}</CardFooter>
    </Card>
  );
}
