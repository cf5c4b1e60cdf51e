"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage, fieldErrorsOf } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { addMemberInput } from "../workspaces.schema";
import { RoleSelect } from "./role-select";

type Values = z.infer<typeof addMemberInput>;

export function AddMemberForm({ onAdded }: { onAdded: () => void }) {
  const t = useTranslations("team");
  const trpc = useTRPC();
  const form = useForm<Values>({
    resolver: zodResolver(addMemberInput),
    defaultValues: { email: "", role: "viewer" },
  });
  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: () => {
        toast.success(t("added"));
        form.reset();
        onAdded();
      },
      onError: (err) => {
        const fields = fieldErrorsOf(err);
        if (fields.email?.[0]) form.setError("email", { message: fields.email[0] });
        else toast.error(errorMessage(err));
      },
    }),
  );
  const emailError = form.formState.errors.email?.message;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("addTitle")}</CardTitle>
        <CardDescription>{t("addDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={form.handleSubmit((v) => add.mutate(v))}
          noValidate
        >
          <div className="grid gap-1.5">
            <Label htmlFor="member-email">{t("email")}</Label>
            <Input
              id="member-email"
              type="email"
              className="w-72"
              aria-invalid={!!emailError}
              aria-describedby="member-email-error"
              {...form.register("email")}
            />
            <p id="member-email-error" className="min-h-4 text-xs text-destructive">
              {emailError}
            </p>
          </div>
          <div className="grid gap-1.5">
            <Label>{t("role")}</Label>
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <RoleSelect value={field.value} onChange={field.onChange} label={t("role")} />
              )}
            />
            <p className="min-h-4" />
          </div>
          <Button type="submit" disabled={add.isPending} className="mb-5">
            {t("add")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
