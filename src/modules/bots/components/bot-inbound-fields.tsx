"use client";

import { Dices } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { useWatch, type FieldPath, type UseFormReturn } from "react-hook-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { BotField, useSecretLocked } from "./bot-field";
import type { BotFormValues } from "./bot-form-values";
import { CopyField } from "./copy-field";

type Form = UseFormReturn<BotFormValues>;

/** Random URL-safe text (base64url of `bytes` random bytes): tokens and passwords to paste. */
function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Where providers reach this app: the address the browser uses for it. */
const origin = () => (typeof window === "undefined" ? "" : window.location.origin);

/** "Set" or "not set" for a stored secret; its value never reaches the browser. */
function SecretState({ set }: { set: boolean }) {
  const t = useTranslations("bots.inbound");
  return (
    <Badge variant={set ? "secondary" : "outline"} className="text-xs font-normal">
      {set ? t("set") : t("notSet")}
    </Badge>
  );
}

function GenerateButton({
  form,
  name,
  bytes,
  label,
  onDone,
}: {
  form: Form;
  name: FieldPath<BotFormValues>;
  bytes: number;
  label: string;
  onDone?: () => void;
}) {
  const t = useTranslations("bots.inbound");
  const locked = useSecretLocked(true);
  return (
    <Button
      type="button"
      variant="outline"
      disabled={locked}
      aria-label={t("generateNamed", { name: label })}
      onClick={() => {
        form.setValue(name, randomToken(bytes), { shouldDirty: true, shouldValidate: true });
        onDone?.();
      }}
    >
      <Dices aria-hidden />
      <span className="hidden sm:inline">{t("generate")}</span>
    </Button>
  );
}

function InboundFieldset({
  title,
  hint,
  children,
}: {
  title: string;
  hint: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="mt-4 grid gap-x-3 sm:col-span-2 sm:grid-cols-2">
      <legend className="mb-1 text-sm font-medium">{title}</legend>
      <p className="mb-3 text-xs text-muted-foreground sm:col-span-2">{hint}</p>
      {children}
    </fieldset>
  );
}

/** Meta's webhook: the app secret that signs every POST and the verify token of the handshake. */
export function WhatsappInboundFields({ form, stored }: { form: Form; stored: readonly string[] }) {
  const t = useTranslations("bots.inbound");
  const keep = (name: string) => (stored.includes(name) ? t("replaceHint") : undefined);
  return (
    <InboundFieldset title={t("title")} hint={t("whatsappHint")}>
      <div className="sm:col-span-2">
        <CopyField
          label={t("callbackUrl")}
          value={`${origin()}/api/webhooks/whatsapp`}
          hint={t("whatsappUrlHint")}
        />
      </div>
      <BotField
        form={form}
        name="whatsapp_cloud.appSecret"
        secret
        label={t("appSecret")}
        hint={keep("appSecret") ?? t("appSecretHint")}
        status={<SecretState set={stored.includes("appSecret")} />}
        type="password"
        className="mt-3"
      />
      <BotField
        form={form}
        name="whatsapp_cloud.verifyToken"
        secret
        label={t("verifyToken")}
        hint={keep("verifyToken") ?? t("verifyTokenHint")}
        status={<SecretState set={stored.includes("verifyToken")} />}
        action={
          <GenerateButton
            form={form}
            name="whatsapp_cloud.verifyToken"
            bytes={24}
            label={t("verifyToken")}
          />
        }
        className="mt-3"
      />
    </InboundFieldset>
  );
}

/** Infobip's webhook: a secret token in the URL plus the HTTP Basic user and password. */
export function InfobipInboundFields({
  form,
  botId,
  stored,
}: {
  form: Form;
  botId: string | null;
  stored: readonly string[];
}) {
  const t = useTranslations("bots.inbound");
  const [showPassword, setShowPassword] = useState(false);
  const token = useWatch({ control: form.control, name: "infobip.webhookToken" }).trim();
  const keep = (name: string) => (stored.includes(name) ? t("replaceHint") : undefined);
  const url =
    botId && `${origin()}/api/webhooks/infobip/${botId}?token=${token || t("tokenPlaceholder")}`;
  return (
    <InboundFieldset title={t("title")} hint={t("infobipHint")}>
      <div className="sm:col-span-2">
        {url ? (
          <CopyField
            label={t("notifyUrl")}
            value={url}
            hint={token ? t("infobipUrlHint") : t("infobipUrlTokenHidden")}
          />
        ) : (
          <p className="text-xs text-muted-foreground">{t("infobipUrlAfterSave")}</p>
        )}
      </div>
      <BotField
        form={form}
        name="infobip.webhookToken"
        secret
        label={t("webhookToken")}
        hint={keep("webhookToken") ?? t("webhookTokenHint")}
        status={<SecretState set={stored.includes("webhookToken")} />}
        action={
          <GenerateButton
            form={form}
            name="infobip.webhookToken"
            bytes={32}
            label={t("webhookToken")}
          />
        }
        className="mt-3 sm:col-span-2"
      />
      <BotField
        form={form}
        name="infobip.webhookUsername"
        secret
        label={t("webhookUsername")}
        hint={keep("webhookUsername")}
        status={<SecretState set={stored.includes("webhookUsername")} />}
      />
      <BotField
        form={form}
        name="infobip.webhookPassword"
        secret
        label={t("webhookPassword")}
        hint={keep("webhookPassword") ?? t("webhookPasswordHint")}
        status={<SecretState set={stored.includes("webhookPassword")} />}
        type={showPassword ? "text" : "password"}
        action={
          <GenerateButton
            form={form}
            name="infobip.webhookPassword"
            bytes={18}
            label={t("webhookPassword")}
            onDone={() => setShowPassword(true)}
          />
        }
      />
    </InboundFieldset>
  );
}
