"use client";

import type { ComponentProps, ReactNode } from "react";
import { get, type FieldPath, type UseFormReturn } from "react-hook-form";
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
  status,
  action,
  className,
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
} & Omit<ComponentProps<"input">, "name" | "form">) {
  const errorText = useBotErrorText();
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
        />
        {action}
      </div>
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
