"use client";

import { useTranslations } from "next-intl";
import { useWatch, type UseFormReturn } from "react-hook-form";
import type { BotView } from "../bots.schema";
import { BotField } from "./bot-field";
import { InfobipInboundFields, WhatsappInboundFields } from "./bot-inbound-fields";
import type { BotFormValues } from "./bot-form-values";

type Form = UseFormReturn<BotFormValues>;

const numeric = { type: "number", inputMode: "decimal", step: "any" } as const;

/** The connection settings of the chosen kind. */
export function BotKindFields({ form, bot }: { form: Form; bot: BotView | null }) {
  const editing = !!bot;
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
          secret
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
        <WhatsappInboundFields form={form} stored={bot?.credentialsSet ?? []} />
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
        secret
        label={t("apiKey")}
        hint={secretHint}
        type="password"
        className="sm:col-span-2"
      />
      <InfobipInboundFields
        form={form}
        botId={bot?.id ?? null}
        stored={bot?.credentialsSet ?? []}
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
