"use client";

import { Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useFieldArray, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { BuilderSection, FieldError } from "./builder-fields";
import { emptyTemplate, type BuilderValues } from "./builder-values";
import { ContactPicker, type PreviewContact } from "./contact-picker";
import { TemplateEditor } from "./template-editor";

const MAX_TEMPLATES = 10;

/** The messages: one or more templates (rotated between recipients), each with a live preview. */
export function BuilderTemplates({ form }: { form: UseFormReturn<BuilderValues> }) {
  const t = useTranslations("campaigns.builder");
  const templates = useFieldArray({ control: form.control, name: "templates" });
  const [contact, setContact] = useState<PreviewContact>(null);
  const rootError = form.formState.errors.templates?.root?.message;

  return (
    <BuilderSection id="builder-templates" title={t("templates")} description={t("templatesHint")}>
      <p id="builder-variables-hint" className="text-xs text-muted-foreground">
        {t("variablesHint", {
          nombre: "{{nombre}}",
          sustantivo: "{{sustantivo}}",
          attribute: "{{ciudad}}",
          fallback: "{{ciudad|Asunción}}",
        })}
      </p>
      <ContactPicker value={contact} onChange={setContact} />
      {templates.fields.map((row, i) => (
        <TemplateEditor
          key={row.id}
          form={form}
          index={i}
          contact={contact}
          onRemove={templates.fields.length > 1 ? () => templates.remove(i) : null}
        />
      ))}
      {rootError && <FieldError message={rootError} />}
      <Button
        type="button"
        variant="outline"
        className="justify-self-start"
        disabled={templates.fields.length >= MAX_TEMPLATES}
        onClick={() => templates.append(emptyTemplate())}
      >
        <Plus aria-hidden />
        {t("addTemplate")}
      </Button>
    </BuilderSection>
  );
}
