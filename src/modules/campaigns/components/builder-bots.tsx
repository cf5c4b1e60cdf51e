"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Controller, type UseFormReturn } from "react-hook-form";
import { useTRPC } from "@/lib/trpc/client";
import { usePacingSummary } from "@/modules/bots/components/bot-format";
import { BuilderSection, FieldError } from "./builder-fields";
import type { BuilderValues } from "./builder-values";
import { OptionChecklist } from "./option-checklist";

/** The bots the campaign sends through (recipients are split between them). */
export function BuilderBots({ form }: { form: UseFormReturn<BuilderValues> }) {
  const t = useTranslations("campaigns.builder");
  const botT = useTranslations("bots");
  const pacing = usePacingSummary();
  const trpc = useTRPC();
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));
  const options = (bots.data?.rows ?? []).map((b) => ({
    id: b.id,
    label: b.name,
    detail: `${botT(`kind.${b.kind}`)} · ${botT(`status.${b.status}`)} · ${pacing(b)}`,
  }));
  const error = form.formState.errors.botIds?.message;

  return (
    <BuilderSection id="builder-bots" title={t("bots")} description={t("botsHint")}>
      <Controller
        control={form.control}
        name="botIds"
        render={({ field }) => (
          <OptionChecklist
            legend={t("bots")}
            options={options}
            value={field.value}
            onChange={field.onChange}
            invalid={!!error}
            describedBy="builder-bots-error"
            filterLabel={t("filterBots")}
            emptyText={
              bots.isPending ? (
                "…"
              ) : (
                <span>
                  {t("noBots")}{" "}
                  <Link href="/bots" className="underline underline-offset-4">
                    {t("createBot")}
                  </Link>
                </span>
              )
            }
          />
        )}
      />
      <FieldError id="builder-bots-error" message={error} />
    </BuilderSection>
  );
}
