"use client";

import { useTranslations } from "next-intl";
import type { ComponentProps } from "react";
import { get, useWatch, type FieldPath, type UseFormReturn } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import { useBotErrorText } from "./bot-format";
import type { BotFormValues } from "./bot-form-values";

type Form = UseFormReturn<BotFormValues>;
type Path = FieldPath<BotFormValues>;

/** One labelled input with its hint and its error (client or server) under it. */
export function BotField({
  form,
  name,
  label,
  hint,
  className,
  ...input
}: {
  form: Form;
  name: Path;
  label: string;
  hint?: string;
} & Omit<ComponentProps<"input">, "name" | "form">) {
  const errorText = useBotErrorText();
  const id = `bot-${name.replace(/\./g, "-")}`;
  const error = errorText(
    (get(form.formState.errors, name) as { message?: string } | undefined)?.message,
  );
  return (
    <div className={cn("grid content-start gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        aria-invalid={!!error}
        aria-describedby={`${id}-hint ${id}-error`}
        autoComplete="off"
        {...input}
        {...form.register(name)}
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      <p id={`${id}-error`} className="min-h-4 text-xs text-destructive">
        {error}
      </p>
    </div>
  );
}

const numeric = { type: "number", inputMode: "decimal", step: "any" } as const;

/** The connection settings of the chosen kind. */
export function BotKindFields({ form, editing }: { form: Form; editing: boolean }) {
  const t = useTranslations("bots.form");
  const kind = useWatch({ control: form.control, name: "kind" });
  const secretHint = editing ? t("secretKeep") : undefined;
  if (kind === "sandbox") {
    return (
      <div className="grid gap-x-3 sm:grid-cols-2">
        <BotField
          form={form}
          name="sandbox.latencyMs"
          label={t("latencyMs")}
          {...numeric}
          min={0}
        />
        <BotField
          form={form}
          name="sandbox.failureRate"
          label={t("failureRate")}
          {...numeric}
          min={0}
          max={100}
        />
        <BotField
          form={form}
          name="sandbox.deliveredAfterMs"
          label={t("deliveredAfterMs")}
          hint={t("receiptHint")}
          {...numeric}
          min={0}
        />
        <BotField
          form={form}
          name="sandbox.readAfterMs"
          label={t("readAfterMs")}
          hint={t("receiptHint")}
          {...numeric}
          min={0}
        />
      </div>
    );
  }
  if (kind === "webhook") {
    return (
      <BotField
        form={form}
        name="webhook.url"
        label={t("url")}
        hint={t("urlHint")}
        type="url"
        placeholder={t("urlPlaceholder")}
      />
    );
  }
  if (kind === "agent") {
    return <p className="text-sm text-muted-foreground">{t("agentHint")}</p>;
  }
  if (kind === "whatsapp_cloud") {
    return (
      <div className="grid gap-x-3 sm:grid-cols-2">
        <BotField
          form={form}
          name="whatsapp_cloud.phoneNumberId"
          label={t("phoneNumberId")}
          hint={t("phoneNumberIdHint")}
          inputMode="numeric"
        />
        <BotField
          form={form}
          name="whatsapp_cloud.apiVersion"
          label={t("apiVersion")}
          placeholder={t("apiVersionPlaceholder")}
        />
        <BotField
          form={form}
          name="whatsapp_cloud.accessToken"
          label={t("accessToken")}
          hint={secretHint}
          type="password"
          className="sm:col-span-2"
        />
        <BotField
          form={form}
          name="whatsapp_cloud.baseUrl"
          label={t("graphBaseUrl")}
          hint={t("graphBaseUrlHint")}
          type="url"
          className="sm:col-span-2"
        />
      </div>
    );
  }
  return (
    <div className="grid gap-x-3 sm:grid-cols-2">
      <BotField
        form={form}
        name="infobip.baseUrl"
        label={t("infobipBaseUrl")}
        placeholder={t("infobipBaseUrlPlaceholder")}
      />
      <BotField
        form={form}
        name="infobip.sender"
        label={t("sender")}
        placeholder={t("senderPlaceholder")}
        inputMode="tel"
      />
      <BotField
        form={form}
        name="infobip.apiKey"
        label={t("apiKey")}
        hint={secretHint}
        type="password"
        className="sm:col-span-2"
      />
    </div>
  );
}

/** Concurrency, rates, caps, random delay and quiet hours (shared by every kind). */
export function BotLimitsFields({ form }: { form: Form }) {
  const t = useTranslations("bots.form");
  const none = t("noLimit");
  return (
    <div className="grid gap-x-3 sm:grid-cols-3">
      <BotField
        form={form}
        name="limits.concurrency"
        label={t("concurrency")}
        hint={t("concurrencyHint")}
        {...numeric}
        min={1}
        max={64}
      />
      <BotField
        form={form}
        name="limits.ratePerSecond"
        label={t("ratePerSecond")}
        placeholder={none}
        {...numeric}
        min={0}
      />
      <BotField
        form={form}
        name="limits.ratePerMinute"
        label={t("ratePerMinute")}
        placeholder={none}
        {...numeric}
        min={0}
      />
      <BotField
        form={form}
        name="limits.dailyCap"
        label={t("dailyCap")}
        placeholder={none}
        {...numeric}
        min={1}
      />
      <BotField
        form={form}
        name="limits.dailyUniqueCap"
        label={t("dailyUniqueCap")}
        hint={t("dailyUniqueCapHint")}
        placeholder={none}
        className="sm:col-span-2"
        {...numeric}
        min={1}
      />
      <fieldset className="grid gap-x-3 sm:col-span-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">{t("delay")}</legend>
        <BotField
          form={form}
          name="limits.delayMinS"
          label={t("delayMin")}
          placeholder="0"
          {...numeric}
          min={0}
          max={600}
        />
        <BotField
          form={form}
          name="limits.delayMaxS"
          label={t("delayMax")}
          placeholder="0"
          {...numeric}
          min={0}
          max={600}
        />
      </fieldset>
      <fieldset className="grid gap-x-3 sm:col-span-3 sm:grid-cols-2">
        <legend className="mb-1 text-sm font-medium">{t("quietHours")}</legend>
        <p className="mb-2 text-xs text-muted-foreground sm:col-span-2">{t("quietHint")}</p>
        <BotField form={form} name="limits.quietStart" label={t("quietStart")} type="time" />
        <BotField form={form} name="limits.quietEnd" label={t("quietEnd")} type="time" />
      </fieldset>
    </div>
  );
}
