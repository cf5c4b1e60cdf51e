"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Controller, useWatch, type UseFormReturn } from "react-hook-form";
import { useTRPC } from "@/lib/trpc/client";
import { BuilderSection } from "./builder-fields";
import { CONTACT_SOURCES, type BuilderValues } from "./builder-values";
import { OptionChecklist } from "./option-checklist";

/** Who gets the campaign: groups in, groups out, contact sources. */
export function BuilderAudience({ form }: { form: UseFormReturn<BuilderValues> }) {
  const t = useTranslations("campaigns.builder");
  const sourceLabel = useTranslations("contacts.source");
  const trpc = useTRPC();
  const groups = useQuery(trpc.groups.options.queryOptions({}));
  const [included, excluded] = useWatch({
    control: form.control,
    name: ["groupIds", "excludeGroupIds"],
  });
  const options = (taken: string[]) =>
    (groups.data ?? []).map((g) => ({ id: g.id, label: g.name, disabled: taken.includes(g.id) }));

  return (
    <BuilderSection id="builder-audience" title={t("audience")} description={t("audienceHint")}>
      <div className="grid gap-4 md:grid-cols-2">
        <Controller
          control={form.control}
          name="groupIds"
          render={({ field }) => (
            <OptionChecklist
              legend={t("groups")}
              options={options(excluded)}
              value={field.value}
              onChange={field.onChange}
              emptyText={groups.isPending ? "…" : t("noGroups")}
              filterLabel={t("filterGroups")}
            />
          )}
        />
        <Controller
          control={form.control}
          name="excludeGroupIds"
          render={({ field }) => (
            <OptionChecklist
              legend={t("excludeGroups")}
              options={options(included)}
              value={field.value}
              onChange={field.onChange}
              emptyText={groups.isPending ? "…" : t("noGroups")}
              filterLabel={t("filterGroups")}
            />
          )}
        />
      </div>
      <Controller
        control={form.control}
        name="sources"
        render={({ field }) => (
          <fieldset className="grid gap-2" aria-describedby="builder-sources-hint">
            <legend className="mb-1 text-sm font-medium">{t("sources")}</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-2">
              {CONTACT_SOURCES.map((s) => (
                <label key={s} className="flex cursor-pointer items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={field.value.includes(s)}
                    onChange={(e) =>
                      field.onChange(
                        e.target.checked ? [...field.value, s] : field.value.filter((v) => v !== s),
                      )
                    }
                  />
                  {sourceLabel(s)}
                </label>
              ))}
            </div>
            <p id="builder-sources-hint" className="text-xs text-muted-foreground">
              {t("sourcesHint")}
            </p>
          </fieldset>
        )}
      />
    </BuilderSection>
  );
}
