"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage, fieldErrorsOf } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { workspaceSettingsInput, type WorkspaceSettingsInput } from "../workspaces.schema";

const FIELDS = ["name", "defaultCountry", "timeZone"] as const;

export function WorkspaceSettingsForm({ initial }: { initial: WorkspaceSettingsInput }) {
  const t = useTranslations("general");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<WorkspaceSettingsInput>({
    resolver: zodResolver(workspaceSettingsInput),
    defaultValues: initial,
  });
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
  return (
    <Card className="max-w-xl">
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate>
          {FIELDS.map((f) => {
            const error = form.formState.errors[f]?.message;
            return (
              <div key={f} className="grid gap-1.5">
                <Label htmlFor={`ws-${f}`}>{t(f)}</Label>
                <Input
                  id={`ws-${f}`}
                  aria-invalid={!!error}
                  aria-describedby={`ws-${f}-error`}
                  {...form.register(f)}
                />
                <p id={`ws-${f}-error`} className="min-h-4 text-xs text-destructive">
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
