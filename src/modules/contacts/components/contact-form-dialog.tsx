"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { Controller, useFieldArray, useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import {
  ATTRIBUTE_KEY,
  groupName,
  MAX_ATTRIBUTES,
  RESERVED_ATTRIBUTE_KEYS,
  type ContactView,
} from "../contacts.schema";
import { GroupPicker } from "./group-picker";
import { useErrorText } from "./use-error-text";

const reserved = new Set<string>(RESERVED_ATTRIBUTE_KEYS);

// The form's shape of `contactInput`: attributes as editable rows. Messages are i18n keys.
const formSchema = z.object({
  phone: z.string().trim().min(1, "phoneRequired").max(40, "phoneLong"),
  nombre: z.string().trim().max(200, "tooLong:200"),
  sustantivo: z.string().trim().max(200, "tooLong:200"),
  groups: z.array(groupName).max(50),
  attributes: z
    .array(
      z.object({
        key: z
          .string()
          .trim()
          .regex(ATTRIBUTE_KEY, "attributeKey")
          .refine((k) => !reserved.has(k), "attributeReserved"),
        value: z.string().trim().max(1000, "tooLong:1000"),
      }),
    )
    .max(MAX_ATTRIBUTES, "tooManyAttributes")
    .superRefine((rows, ctx) => {
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        if (seen.has(r.key))
          ctx.addIssue({ code: "custom", path: [i, "key"], message: "attributeDuplicate" });
        seen.add(r.key);
      });
    }),
});
type FormValues = z.infer<typeof formSchema>;

function toValues(contact: ContactView | null): FormValues {
  return {
    phone: contact?.phone ?? "",
    nombre: contact?.nombre ?? "",
    sustantivo: contact?.sustantivo ?? "",
    groups: contact?.groups.map((g) => g.name) ?? [],
    attributes: Object.entries(contact?.attributes ?? {}).map(([key, value]) => ({ key, value })),
  };
}

export function ContactFormDialog({
  open,
  onOpenChange,
  contact,
  groupOptions,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The contact to edit; null to create one. */
  contact: ContactView | null;
  groupOptions: { id: string; name: string }[];
  onSaved: () => void;
}) {
  const t = useTranslations("contacts.form");
  const common = useTranslations("common");
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")} className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{contact ? t("editTitle") : t("createTitle")}</DialogTitle>
          <DialogDescription>{t("description")}</DialogDescription>
        </DialogHeader>
        {/* Mounted per opening, so the form starts from the contact's current values. */}
        <ContactForm
          contact={contact}
          groupOptions={groupOptions}
          onCancel={() => onOpenChange(false)}
          onSaved={() => (onOpenChange(false), onSaved())}
        />
      </DialogContent>
    </Dialog>
  );
}

function ContactForm({
  contact,
  groupOptions,
  onCancel,
  onSaved,
}: {
  contact: ContactView | null;
  groupOptions: { id: string; name: string }[];
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { errorMessage, fieldErrorsOf } = useErrorMessage();
  const t = useTranslations("contacts.form");
  const common = useTranslations("common");
  const errorText = useErrorText();
  const trpc = useTRPC();
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: toValues(contact),
  });
  const attributes = useFieldArray({ control: form.control, name: "attributes" });

  const onError = (err: unknown) => {
    const fields = fieldErrorsOf(err);
    let mapped = false;
    for (const [path, messages] of Object.entries(fields)) {
      const message = messages[0];
      if (!message) continue;
      // Already in the reader's language: errorText shows text that is not a form key as is.
      if (path === "phone" || path === "nombre" || path === "sustantivo") {
        form.setError(path, { message });
      } else continue;
      mapped = true;
    }
    if (!mapped) toast.error(errorMessage(err));
  };
  const create = useMutation(
    trpc.contacts.create.mutationOptions({
      onSuccess: () => (toast.success(t("created")), onSaved()),
      onError,
    }),
  );
  const update = useMutation(
    trpc.contacts.update.mutationOptions({
      onSuccess: () => (toast.success(t("updated")), onSaved()),
      onError,
    }),
  );
  const pending = create.isPending || update.isPending;

  const submit = (v: FormValues) => {
    const input = {
      phone: v.phone,
      nombre: v.nombre,
      sustantivo: v.sustantivo,
      groups: v.groups,
      attributes: Object.fromEntries(v.attributes.map((a) => [a.key.trim(), a.value])),
    };
    if (contact) update.mutate({ id: contact.id, ...input });
    else create.mutate(input);
  };

  const err = form.formState.errors;
  const field = (
    name: "phone" | "nombre" | "sustantivo",
    extra?: { placeholder?: string; autoFocus?: boolean },
  ) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`contact-${name}`}>{t(name)}</Label>
      <Input
        id={`contact-${name}`}
        aria-invalid={!!err[name]}
        aria-describedby={`contact-${name}-error`}
        autoComplete="off"
        {...extra}
        {...form.register(name)}
      />
      <p id={`contact-${name}-error`} className="min-h-4 text-xs text-destructive">
        {errorText(err[name]?.message)}
      </p>
    </div>
  );

  return (
    <form className="grid gap-3" onSubmit={form.handleSubmit(submit)} noValidate>
      {field("phone", { placeholder: t("phonePlaceholder"), autoFocus: true })}
      <div className="grid gap-3 sm:grid-cols-2">
        {field("nombre")}
        {field("sustantivo", { placeholder: t("sustantivoPlaceholder") })}
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="contact-groups">{t("groups")}</Label>
        <Controller
          control={form.control}
          name="groups"
          render={({ field: f }) => (
            <GroupPicker
              inputId="contact-groups"
              value={f.value}
              onChange={f.onChange}
              options={groupOptions}
            />
          )}
        />
      </div>
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium">{t("attributes")}</legend>
        <p className="text-xs text-muted-foreground">{t("attributesHint")}</p>
        {attributes.fields.map((row, i) => {
          const rowErr = err.attributes?.[i];
          return (
            <div key={row.id} className="grid grid-cols-[1fr_1.5fr_auto] items-start gap-2">
              <div className="grid gap-1">
                <Input
                  placeholder={t("attributeKey")}
                  aria-label={t("attributeKeyLabel", { n: i + 1 })}
                  aria-invalid={!!rowErr?.key}
                  autoComplete="off"
                  {...form.register(`attributes.${i}.key`)}
                />
                {rowErr?.key && (
                  <p className="text-xs text-destructive">{errorText(rowErr.key.message)}</p>
                )}
              </div>
              <div className="grid gap-1">
                <Input
                  placeholder={t("attributeValue")}
                  aria-label={t("attributeValueLabel", { n: i + 1 })}
                  aria-invalid={!!rowErr?.value}
                  autoComplete="off"
                  {...form.register(`attributes.${i}.value`)}
                />
                {rowErr?.value && (
                  <p className="text-xs text-destructive">{errorText(rowErr.value.message)}</p>
                )}
              </div>
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label={t("removeAttribute", { n: i + 1 })}
                onClick={() => attributes.remove(i)}
              >
                <Trash2 aria-hidden />
              </Button>
            </div>
          );
        })}
        {err.attributes?.root?.message && (
          <p className="text-xs text-destructive">{errorText(err.attributes.root.message)}</p>
        )}
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="justify-self-start"
          disabled={attributes.fields.length >= MAX_ATTRIBUTES}
          onClick={() => attributes.append({ key: "", value: "" })}
        >
          <Plus aria-hidden />
          {t("addAttribute")}
        </Button>
      </fieldset>
      <DialogFooter className="mt-2">
        <Button type="button" variant="outline" onClick={onCancel}>
          {common("cancel")}
        </Button>
        <Button type="submit" disabled={pending}>
          {pending ? common("saving") : contact ? common("save") : t("create")}
        </Button>
      </DialogFooter>
    </form>
  );
}
