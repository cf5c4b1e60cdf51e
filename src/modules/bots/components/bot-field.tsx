"use client";

import { useTranslations } from "next-intl";
import { createContext, useContext, type ComponentProps, type ReactNode } from "react";
import { get, type FieldPath, type UseFormReturn } from "react-hook-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import { useBotErrorText } from "./bot-format";
import type { BotFormValues } from "./bot-form-values";

type Form = UseFormReturn<BotFormValues>;
type Path = FieldPath<BotFormValues>;

/**
 * True while a member who may not manage secrets edits a bot: its stored credentials are shown
 * as set or not, but cannot be replaced (the server refuses it too).
 */
export const SecretsLocked = createContext(false);

/** Whether the field (a stored credential when `secret`) is locked for this member. */
export function useSecretLocked(secret: boolean | undefined): boolean {
  return useContext(SecretsLocked) && !!secret;
}

/** One labelled input with its hint and its error (client or server) under it. */
export function BotField({
  form,
  name,
  label,
  hint,
  status,
  action,
  className,
  secret,
  ...input
}: {
  form: Form;
  name: Path;
  label: string;
  hint?: string;
  /** Beside the label, e.g. whether a secret is stored. */
  status?: ReactNode;
  /** Beside the input, e.g. a button that fills it in. */
  action?: ReactNode;
  /** A stored credential: locked for members who may not manage secrets. */
  secret?: boolean;
} & Omit<ComponentProps<"input">, "name" | "form">) {
  const errorText = useBotErrorText();
  const t = useTranslations("bots.form");
  const locked = useSecretLocked(secret);
  const shownHint = locked ? t("secretAdminOnly") : hint;
  const id = `bot-${name.replace(/\./g, "-")}`;
  const error = errorText(
    (get(form.formState.errors, name) as { message?: string } | undefined)?.message,
  );
  return (
    <div className={cn("grid content-start gap-1.5", className)}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Label htmlFor={id}>{label}</Label>
        {status}
      </div>
      <div className="flex gap-2">
        <Input
          id={id}
          aria-invalid={!!error}
          aria-describedby={`${id}-hint ${id}-error`}
          autoComplete="off"
          {...input}
          {...form.register(name)}
          readOnly={locked || input.readOnly}
          className={locked ? "cursor-not-allowed bg-muted" : undefined}
        />
        {action}
      </div>
      {shownHint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {shownHint}
        </p>
      )}
      <p id={`${id}-error`} className="min-h-4 text-xs text-destructive">
        {error}
      </p>
    </div>
  );
}
