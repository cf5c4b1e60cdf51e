"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { API_KEY_SCOPES, createApiKeyInput, type CreateApiKeyInput } from "../apikeys.schema";
import { NewKeyDialog } from "./new-key-dialog";
import { SCOPE_MESSAGES } from "./scope-labels";

export function CreateApiKeyForm({ onCreated }: { onCreated: () => void }) {
  const { errorMessage, fieldErrorsOf } = useErrorMessage();
  const t = useTranslations("apikeys");
  const trpc = useTRPC();
  // The secret lives only in this state, until the dialog showing it is closed.
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const form = useForm<CreateApiKeyInput>({
    resolver: zodResolver(createApiKeyInput),
    defaultValues: { name: "", scopes: ["contacts:read"] },
  });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: ({ key, secret }) => {
        setCreated({ name: key.name, secret });
        form.reset();
        onCreated();
      },
      onError: (err) => {
        const fields = fieldErrorsOf(err);
        if (fields.name?.[0]) form.setError("name", { message: fields.name[0] });
        else if (fields.scopes?.[0]) form.setError("scopes", { message: fields.scopes[0] });
        else toast.error(errorMessage(err));
      },
    }),
  );
  // The schema's messages are English; the form shows its own, translated.
  const nameError = form.formState.errors.name ? t("nameInvalid") : undefined;
  const scopesError = form.formState.errors.scopes ? t("scopesRequired") : undefined;

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("createTitle")}</CardTitle>
        <CardDescription>{t("createDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid max-w-xl gap-4"
          onSubmit={form.handleSubmit((v) => create.mutate(v))}
          noValidate
        >
          <div className="grid gap-1.5">
            <Label htmlFor="api-key-name">{t("name")}</Label>
            <Input
              id="api-key-name"
              placeholder={t("namePlaceholder")}
              aria-invalid={!!nameError}
              aria-describedby="api-key-name-error"
              {...form.register("name")}
            />
            <p id="api-key-name-error" className="min-h-4 text-xs text-destructive">
              {nameError}
            </p>
          </div>
          <fieldset className="grid gap-2" aria-describedby="api-key-scopes-error">
            <legend className="mb-1 text-sm font-medium">{t("scopes")}</legend>
            <Controller
              control={form.control}
              name="scopes"
              render={({ field }) => (
                <>
                  {API_KEY_SCOPES.map((scope) => {
                    const id = `api-key-scope-${scope.replace(":", "-")}`;
                    const checked = field.value.includes(scope);
                    return (
                      <div key={scope} className="flex items-start gap-2">
                        <input
                          id={id}
                          type="checkbox"
                          className="mt-0.5 size-4 accent-primary"
                          checked={checked}
                          onChange={() =>
                            field.onChange(
                              checked
                                ? field.value.filter((s) => s !== scope)
                                : [...field.value, scope],
                            )
                          }
                        />
                        <Label htmlFor={id} className="grid gap-0.5 font-normal">
                          <span>
                            <code className="text-xs">{scope}</code> —{" "}
                            {t(SCOPE_MESSAGES[scope].label)}
                          </span>
                          <span className="text-xs text-muted-foreground">
                            {t(SCOPE_MESSAGES[scope].hint)}
                          </span>
                        </Label>
                      </div>
                    );
                  })}
                </>
              )}
            />
            <p id="api-key-scopes-error" className="min-h-4 text-xs text-destructive">
              {scopesError}
            </p>
          </fieldset>
          <div>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? t("creating") : t("create")}
            </Button>
          </div>
        </form>
        <NewKeyDialog created={created} onClose={() => setCreated(null)} />
      </CardContent>
    </Card>
  );
}
