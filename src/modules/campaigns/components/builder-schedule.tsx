"use client";

import { useTranslations } from "next-intl";
import { get, useWatch, type UseFormReturn } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { BuilderSection, FieldError } from "./builder-fields";
import type { BuilderValues } from "./builder-values";

type Form = UseFormReturn<BuilderValues>;
const messageOf = (errors: unknown, path: string) =>
  (get(errors, path) as { message?: string } | undefined)?.message;

/** When it sends: on launch, at a wall-clock time in the workspace's zone, or on a cron. */
export function BuilderSchedule({ form, timeZone }: { form: Form; timeZone: string }) {
  const t = useTranslations("campaigns.builder");
  const type = useWatch({ control: form.control, name: "scheduleType" });
  const errors = form.formState.errors;
  const choices = [
    { value: "now", label: t("scheduleNow") },
    { value: "at", label: t("scheduleAt") },
    { value: "cron", label: t("scheduleCron") },
  ] as const;

  return (
    <BuilderSection id="builder-schedule" title={t("schedule")}>
      <fieldset className="grid gap-2">
        <legend className="sr-only">{t("schedule")}</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {choices.map((c) => (
            <label
              key={c.value}
              className={cn(
                "flex cursor-pointer items-center gap-2 rounded-lg border p-3 text-sm hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                type === c.value && "border-primary bg-accent/40",
              )}
            >
              <input
                type="radio"
                value={c.value}
                className="accent-primary"
                {...form.register("scheduleType")}
              />
              {c.label}
            </label>
          ))}
        </div>
      </fieldset>
      {type === "at" && (
        <div className="grid max-w-sm gap-1.5">
          <Label htmlFor="builder-at">{t("at")}</Label>
          <Input
            id="builder-at"
            type="datetime-local"
            aria-invalid={!!errors.at}
            aria-describedby="builder-at-hint builder-at-error"
            {...form.register("at")}
          />
          <p id="builder-at-hint" className="text-xs text-muted-foreground">
            {t("atHint", { timeZone })}
          </p>
          <FieldError id="builder-at-error" message={errors.at?.message} />
        </div>
      )}
      {type === "cron" && (
        <div className="grid gap-1.5">
          <Label htmlFor="builder-cron">{t("cron")}</Label>
          <Input
            id="builder-cron"
            className="max-w-sm font-mono"
            placeholder={t("cronPlaceholder")}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={!!errors.cron}
            aria-describedby="builder-cron-hint builder-cron-error"
            {...form.register("cron")}
          />
          <p id="builder-cron-hint" className="max-w-prose text-xs text-muted-foreground">
            {t("cronHint", { timeZone })}
          </p>
          <FieldError id="builder-cron-error" message={errors.cron?.message} />
        </div>
      )}
    </BuilderSection>
  );
}

/** The workspace's cool-off, or an override for this campaign with a required (audited) reason. */
export function BuilderCooloff({ form, workspaceDays }: { form: Form; workspaceDays: number }) {
  const t = useTranslations("campaigns.builder");
  const override = useWatch({ control: form.control, name: "cooloffOverride" });
  const errors = form.formState.errors;
  return (
    <BuilderSection
      id="builder-cooloff"
      title={t("cooloff")}
      description={t("cooloffHint", { days: workspaceDays })}
    >
      <label className="flex cursor-pointer items-center gap-2 text-sm">
        <input
          type="checkbox"
          className="size-4 accent-primary"
          {...form.register("cooloffOverride")}
        />
        {t("cooloffOverride")}
      </label>
      {override && (
        <div className="grid gap-x-3 sm:grid-cols-[8rem_1fr]">
          <div className="grid content-start gap-1.5">
            <Label htmlFor="builder-cooloff-days">{t("cooloffDays")}</Label>
            <Input
              id="builder-cooloff-days"
              type="number"
              inputMode="numeric"
              min={0}
              max={365}
              aria-invalid={!!errors.cooloffDays}
              aria-describedby="builder-cooloff-days-error"
              {...form.register("cooloffDays")}
            />
            <FieldError
              id="builder-cooloff-days-error"
              message={messageOf(errors, "cooloffDays")}
            />
          </div>
          <div className="grid content-start gap-1.5">
            <Label htmlFor="builder-cooloff-reason">{t("cooloffReason")}</Label>
            <Textarea
              id="builder-cooloff-reason"
              rows={2}
              maxLength={500}
              placeholder={t("cooloffReasonPlaceholder")}
              aria-invalid={!!errors.cooloffReason}
              aria-describedby="builder-cooloff-reason-error"
              {...form.register("cooloffReason")}
            />
            <FieldError
              id="builder-cooloff-reason-error"
              message={messageOf(errors, "cooloffReason")}
            />
          </div>
        </div>
      )}
    </BuilderSection>
  );
}
