"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Separator } from "@/components/ui/separator";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import { BOT_KINDS } from "../bot-kinds";
import type { BotView } from "../bots.schema";
import { BotField, SecretsLocked } from "./bot-field";
import { BotKindFields, BotLimitsFields } from "./bot-form-fields";
import {
  botFormSchema,
  formFieldOf,
  toBotInput,
  toFormValues,
  type BotFormValues,
} from "./bot-form-values";

export function BotFormDialog({
  open,
  onOpenChange,
  bot,
  canManageSecrets,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The bot to edit; null to create one. */
  bot: BotView | null;
  /** Whether the member may replace an existing bot's stored credentials (admins). */
  canManageSecrets: boolean;
  /** After a save; `secret` is the generated signing secret of a new webhook bot. */
  onSaved: (saved: BotView, secret: string | null) => void;
}) {
  const t = useTranslations("bots.form");
  const common = useTranslations("common");
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")} className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{bot ? t("editTitle") : t("createTitle")}</DialogTitle>
          <DialogDescription>{t("description")}</DialogDescription>
        </DialogHeader>
        {/* Mounted per opening, so the form starts from the bot's current values. */}
        {open && (
          <BotForm
            bot={bot}
            canManageSecrets={canManageSecrets}
            onCancel={() => onOpenChange(false)}
            onSaved={(saved, secret) => (onOpenChange(false), onSaved(saved, secret))}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function BotForm({
  bot,
  canManageSecrets,
  onCancel,
  onSaved,
}: {
  bot: BotView | null;
  canManageSecrets: boolean;
  onCancel: () => void;
  onSaved: (saved: BotView, secret: string | null) => void;
}) {
  const { errorMessage, fieldErrorKeysOf } = useErrorMessage();
  const t = useTranslations("bots");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const editing = !!bot;
  const form = useForm<BotFormValues>({
    resolver: zodResolver(botFormSchema(editing, bot?.credentialsSet)),
    defaultValues: toFormValues(bot),
  });
  const kind = useWatch({ control: form.control, name: "kind" });

  // Server field errors land beside their inputs; anything else is a toast.
  const onError = (err: unknown) => {
    let mapped = false;
    for (const [path, messages] of Object.entries(fieldErrorKeysOf(err))) {
      const target = messages[0] && formFieldOf(form.getValues("kind"), path, messages[0]);
      if (!target) continue;
      form.setError(target.path as FieldPath<BotFormValues>, { message: target.message });
      mapped = true;
    }
    if (!mapped) toast.error(errorMessage(err));
  };
  const create = useMutation(
    trpc.bots.create.mutationOptions({
      onSuccess: ({ bot: saved, secret }) => (
        toast.success(t("form.created")),
        onSaved(saved, secret)
      ),
      onError,
    }),
  );
  const update = useMutation(
    trpc.bots.update.mutationOptions({
      onSuccess: (saved) => (toast.success(t("form.updated")), onSaved(saved, null)),
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  const submit = (v: BotFormValues) => {
    const input = toBotInput(v);
    if (bot) update.mutate({ ...input, id: bot.id });
    else create.mutate({ ...input, kind: v.kind });
  };

  return (
    <form className="grid gap-4" onSubmit={form.handleSubmit(submit)} noValidate>
      <BotField
        form={form}
        name="name"
        label={t("form.name")}
        placeholder={t("form.namePlaceholder")}
        autoFocus
      />
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">{t("form.kind")}</legend>
        {editing ? (
          <p className="text-sm">
            <span className="font-medium">{t(`kind.${kind}`)}</span>
            <span className="text-muted-foreground"> — {t("form.kindLocked")}</span>
          </p>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2">
            {BOT_KINDS.map((k) => (
              <label
                key={k}
                className={cn(
                  "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                  kind === k && "border-primary bg-accent/40",
                )}
              >
                <input
                  type="radio"
                  value={k}
                  className="mt-0.5 self-start accent-primary"
                  {...form.register("kind")}
                />
                <span className="grid gap-0.5">
                  <span className="font-medium">{t(`kind.${k}`)}</span>
                  <span className="text-xs text-muted-foreground">{t(`kindHint.${k}`)}</span>
                </span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="grid gap-2">
        <legend className="mb-2 text-sm font-medium">{t("form.channel")}</legend>
        <SecretsLocked.Provider value={editing && !canManageSecrets}>
          <BotKindFields form={form} bot={bot} />
        </SecretsLocked.Provider>
      </fieldset>
      <Separator />
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium">{t("form.limits")}</legend>
        <p className="mb-1 text-xs text-muted-foreground">{t("form.limitsHint")}</p>
        <BotLimitsFields form={form} />
      </fieldset>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          {common("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? common("saving") : editing ? common("save") : t("form.create")}
        </Button>
      </DialogFooter>
    </form>
  );
}
