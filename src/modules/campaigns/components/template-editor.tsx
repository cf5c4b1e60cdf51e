"use client";

import { ArrowDown, ArrowUp, Plus, Trash2, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import { get, useFieldArray, useWatch, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { FieldError } from "./builder-fields";
import type { BuilderValues } from "./builder-values";
import type { PreviewContact } from "./contact-picker";
import { TemplatePreview } from "./template-preview";

const VARIABLES = ["{{nombre}}", "{{sustantivo}}", "{{nombre|cliente}}"];
const MAX_PARAMS = 20;

type Form = UseFormReturn<BuilderValues>;
const messageOf = (errors: unknown, path: string) =>
  (get(errors, path) as { message?: string } | undefined)?.message;

/** One template: plain text with variables, or a WhatsApp template with ordered parameters. */
export function TemplateEditor({
  form,
  index,
  contact,
  onRemove,
}: {
  form: Form;
  index: number;
  contact: PreviewContact;
  onRemove: (() => void) | null;
}) {
  const t = useTranslations("campaigns.builder");
  const base = `templates.${index}` as const;
  const template = useWatch({ control: form.control, name: base });
  const errors = form.formState.errors;
  const id = `builder-template-${index}`;
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);
  const body = form.register(`${base}.body`);

  const insert = (variable: string) => {
    const el = bodyRef.current;
    const current = form.getValues(`${base}.body`);
    const [start, end] = el
      ? [el.selectionStart, el.selectionEnd]
      : [current.length, current.length];
    form.setValue(`${base}.body`, current.slice(0, start) + variable + current.slice(end), {
      shouldDirty: true,
      shouldValidate: form.formState.isSubmitted,
    });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + variable.length, start + variable.length);
    });
  };

  return (
    <fieldset className="grid gap-3 rounded-lg border p-3 sm:p-4">
      <legend className="sr-only">{t("template", { n: index + 1 })}</legend>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold" aria-hidden>
          {t("template", { n: index + 1 })}
        </h3>
        <div className="flex items-center gap-2">
          <div
            role="radiogroup"
            aria-label={t("kind")}
            className="inline-flex rounded-md border p-0.5"
          >
            {(["text", "whatsapp"] as const).map((k) => (
              <label
                key={k}
                className={cn(
                  "cursor-pointer rounded-sm px-2.5 py-1 text-xs font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring",
                  template.kind === k
                    ? "bg-primary text-primary-foreground"
                    : "text-muted-foreground hover:bg-accent",
                )}
              >
                <input
                  type="radio"
                  value={k}
                  className="sr-only"
                  {...form.register(`${base}.kind`)}
                />
                {k === "text" ? t("kindText") : t("kindWhatsapp")}
              </label>
            ))}
          </div>
          {onRemove && (
            <Button
              type="button"
              variant="ghost"
              size="icon"
              onClick={onRemove}
              aria-label={t("removeTemplate", { n: index + 1 })}
            >
              <Trash2 aria-hidden />
            </Button>
          )}
        </div>
      </div>

      <div className="grid gap-3 lg:grid-cols-2">
        {template.kind === "text" ? (
          <div className="grid content-start gap-1.5">
            <Label htmlFor={`${id}-body`}>{t("body")}</Label>
            <Textarea
              id={`${id}-body`}
              rows={5}
              className="min-h-28"
              maxLength={4096}
              placeholder={t("bodyPlaceholder", { example: "{{sustantivo|}} {{nombre|amigo}}" })}
              aria-invalid={!!messageOf(errors, `${base}.body`)}
              aria-describedby={`${id}-body-error builder-variables-hint`}
              {...body}
              ref={(el) => {
                body.ref(el);
                bodyRef.current = el;
              }}
            />
            <FieldError id={`${id}-body-error`} message={messageOf(errors, `${base}.body`)} />
            <div className="flex flex-wrap gap-1.5">
              {VARIABLES.map((v) => (
                <Button
                  key={v}
                  type="button"
                  variant="outline"
                  size="sm"
                  className="h-7 font-mono text-xs"
                  onClick={() => insert(v)}
                  aria-label={t("insert", { variable: v })}
                >
                  <Plus aria-hidden />
                  {v}
                </Button>
              ))}
            </div>
          </div>
        ) : (
          <WhatsappFields form={form} index={index} />
        )}
        <div className="grid content-start gap-1.5">
          <span id={`${id}-preview`} className="text-sm font-medium">
            {t("preview")}
          </span>
          <TemplatePreview template={template} contact={contact} labelledBy={`${id}-preview`} />
        </div>
      </div>
    </fieldset>
  );
}

function WhatsappFields({ form, index }: { form: Form; index: number }) {
  const t = useTranslations("campaigns.builder");
  const base = `templates.${index}` as const;
  const params = useFieldArray({ control: form.control, name: `${base}.params` });
  const errors = form.formState.errors;
  const id = `builder-template-${index}`;
  return (
    <div className="grid content-start gap-1">
      <div className="grid gap-x-3 sm:grid-cols-[2fr_1fr]">
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-name`}>{t("waName")}</Label>
          <Input
            id={`${id}-name`}
            placeholder={t("waNamePlaceholder")}
            autoComplete="off"
            aria-invalid={!!messageOf(errors, `${base}.name`)}
            aria-describedby={`${id}-name-error`}
            {...form.register(`${base}.name`)}
          />
          <FieldError id={`${id}-name-error`} message={messageOf(errors, `${base}.name`)} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-language`}>{t("waLanguage")}</Label>
          <Input
            id={`${id}-language`}
            placeholder={t("waLanguagePlaceholder")}
            autoComplete="off"
            aria-invalid={!!messageOf(errors, `${base}.language`)}
            aria-describedby={`${id}-language-error`}
            {...form.register(`${base}.language`)}
          />
          <FieldError id={`${id}-language-error`} message={messageOf(errors, `${base}.language`)} />
        </div>
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1.5 text-sm font-medium">{t("params")}</legend>
        <ol className="grid gap-2">
          {params.fields.map((row, j) => (
            <li key={row.id} className="flex items-center gap-1">
              <span
                className="w-6 shrink-0 text-right text-xs text-muted-foreground tabular-nums"
                aria-hidden
              >
                {j + 1}.
              </span>
              <Input
                aria-label={t("param", { t: index + 1, n: j + 1 })}
                autoComplete="off"
                maxLength={1024}
                placeholder="{{nombre}}"
                aria-invalid={!!messageOf(errors, `${base}.params.${j}.value`)}
                {...form.register(`${base}.params.${j}.value`)}
              />
              <Button
                type="button"
                variant="ghost"
                size="icon"
                disabled={j === 0}
                onClick={() => params.move(j, j - 1)}
                aria-label={t("moveUp", { t: index + 1, n: j + 1 })}
              >
                <ArrowUp aria-hidden />
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                disabled={j === params.fields.length - 1}
                onClick={() => params.move(j, j + 1)}
                aria-label={t("moveDown", { t: index + 1, n: j + 1 })}
              >
                <ArrowDown aria-hidden />
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                onClick={() => params.remove(j)}
                aria-label={t("removeParam", { t: index + 1, n: j + 1 })}
              >
                <X aria-hidden />
              </Button>
            </li>
          ))}
        </ol>
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-self-start"
          disabled={params.fields.length >= MAX_PARAMS}
          onClick={() => params.append({ value: "" })}
        >
          <Plus aria-hidden />
          {t("addParam")}
        </Button>
      </fieldset>
    </div>
  );
}
