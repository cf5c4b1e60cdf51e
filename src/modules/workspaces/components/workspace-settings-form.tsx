"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useMemo } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Combobox, type ComboboxOption } from "@/components/ui/combobox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { COUNTRY_CODES } from "@/lib/countries";
import { looksLikeErrorKey } from "@/lib/error-ref";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { workspaceSettingsInput, type WorkspaceSettingsInput } from "../workspaces.schema";

const FIELDS = ["name", "defaultCountry", "timeZone"] as const;

/** ISO countries named in the reader's language ("Paraguay (PY)"), in their alphabet's order. */
function useCountryOptions(locale: string): ComboboxOption[] {
  return useMemo(() => {
    const names = new Intl.DisplayNames([locale], { type: "region" });
    return COUNTRY_CODES.map((code) => ({
      value: code,
      label: `${names.of(code) ?? code} (${code})`,
    })).sort((a, b) => a.label.localeCompare(b.label, locale));
  }, [locale]);
}

/** The IANA zones this browser knows, plus the saved one (e.g. `UTC`, which it may not list). */
function useTimeZoneOptions(current: string): ComboboxOption[] {
  return useMemo(() => {
    const zones = Intl.supportedValuesOf("timeZone");
    if (current && !zones.includes(current)) zones.unshift(current);
    return zones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
  }, [current]);
}

export function WorkspaceSettingsForm({ initial }: { initial: WorkspaceSettingsInput }) {
  const { errorMessage, fieldErrorsOf, errorRefText } = useErrorMessage();
  const t = useTranslations("general");
  const common = useTranslations("common");
  const locale = useLocale();
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<WorkspaceSettingsInput>({
    resolver: zodResolver(workspaceSettingsInput),
    defaultValues: initial,
  });
  const countries = useCountryOptions(locale);
  const zones = useTimeZoneOptions(initial.timeZone);
  const save = useMutation(
    trpc.workspaces.updateSettings.mutationOptions({
      onSuccess: (ws) => {
        toast.success(t("saved"));
        form.reset({ name: ws.name, defaultCountry: ws.defaultCountry, timeZone: ws.timeZone });
        router.refresh();
      },
      onError: (err) => {
        const fields = fieldErrorsOf(err);
        let mapped = false;
        for (const f of FIELDS) {
          const message = fields[f]?.[0];
          if (!message) continue;
          form.setError(f, { message });
          mapped = true;
        }
        if (!mapped) toast.error(errorMessage(err));
      },
    }),
  );
  // The schema's own refusals are error codes; zod's are already in the reader's language.
  const errorOf = (f: (typeof FIELDS)[number]) => {
    const message = form.formState.errors[f]?.message;
    return message && looksLikeErrorKey(message) ? errorRefText({ key: message }) : message;
  };
  const hint = (f: (typeof FIELDS)[number]) =>
    f === "defaultCountry" ? t("defaultCountryHint") : f === "timeZone" ? t("timeZoneHint") : null;

  return (
    <Card className="max-w-xl">
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
          {FIELDS.map((f) => {
            const error = errorOf(f);
            const id = `ws-${f}`;
            const describedBy = `${id}-hint ${id}-error`;
            return (
              <div key={f} className="grid gap-1.5">
                <Label htmlFor={id}>{t(f)}</Label>
                {f === "name" ? (
                  <Input
                    id={id}
                    aria-invalid={!!error}
                    aria-describedby={describedBy}
                    {...form.register(f)}
                  />
                ) : (
                  <Controller
                    control={form.control}
                    name={f}
                    render={({ field }) => (
                      <Combobox
                        id={id}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        options={f === "defaultCountry" ? countries : zones}
                        placeholder={t(f === "defaultCountry" ? "searchCountry" : "searchTimeZone")}
                        noResults={t("noMatches")}
                        invalid={!!error}
                        describedBy={describedBy}
                      />
                    )}
                  />
                )}
                <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                  {hint(f)}
                </p>
                <p id={`${id}-error`} className="min-h-4 text-xs text-destructive">
                  {error}
                </p>
              </div>
            );
          })}
          <Button
            type="submit"
            disabled={save.isPending || !form.formState.isDirty}
            className="justify-self-start"
          >
            {save.isPending ? common("saving") : common("save")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
