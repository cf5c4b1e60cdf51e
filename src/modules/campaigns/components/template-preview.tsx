"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import type { CampaignTemplate } from "../campaign-definition";
import { useDebounced } from "./builder-fields";
import { templateReady, toTemplate, type TemplateValues } from "./builder-values";
import type { PreviewContact } from "./contact-picker";

/** The template as the chosen contact would receive it, rendered by the server as it types. */
export function TemplatePreview({
  template,
  contact,
  labelledBy,
}: {
  template: TemplateValues;
  contact: PreviewContact;
  labelledBy: string;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns.builder");
  const format = useFormatter();
  const trpc = useTRPC();
  const ready = templateReady(template);
  const key = useDebounced(ready ? JSON.stringify(toTemplate(template)) : "", 300);
  const preview = useQuery({
    ...trpc.campaigns.previewTemplate.queryOptions({
      template: key ? (JSON.parse(key) as CampaignTemplate) : { kind: "text", body: "-" },
      contactId: contact?.id,
    }),
    enabled: !!key,
    placeholderData: keepPreviousData,
  });
  const data = key ? preview.data : undefined;

  return (
    <div className="grid gap-1.5" role="group" aria-labelledby={labelledBy}>
      <div
        aria-live="polite"
        aria-busy={preview.isFetching}
        className={cn(
          "min-h-16 rounded-lg rounded-tl-none border px-3 py-2 text-sm whitespace-pre-wrap break-words",
          data?.ok ? "border-success/30 bg-success/10" : "bg-muted/40",
          data && !data.ok && "border-warning/60 bg-warning/10",
        )}
      >
        {!key ? (
          <span className="text-muted-foreground">{t("previewWaiting")}</span>
        ) : preview.isError ? (
          <span className="text-destructive">{errorMessage(preview.error)}</span>
        ) : !data ? (
          <span className="text-muted-foreground">…</span>
        ) : data.ok ? (
          data.text
        ) : (
          <span className="flex items-start gap-2">
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
            {t("previewMissing", {
              name: contact?.label ?? t("sampleName"),
              variables: format.list(
                data.missing.map((m) => `{{${m}}}`),
                { type: "conjunction" },
              ),
            })}
          </span>
        )}
      </div>
    </div>
  );
}
