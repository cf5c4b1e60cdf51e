"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Copy } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { createInvitationInput } from "../invitations.schema";
import { RoleSelect } from "./role-select";

type Values = z.input<typeof createInvitationInput>;
type Created = { email: string; expiresAt: Date; link: string };

/** Invites by email; the link is shown once, for the admin to send to the person. */
export function InviteMemberForm({ onInvited }: { onInvited: () => void }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("invitations");
  const format = useFormatter();
  const trpc = useTRPC();
  const [created, setCreated] = useState<Created | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(createInvitationInput),
    defaultValues: { email: "", role: "viewer" },
  });
  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: (inv) => {
        setCreated({
          email: inv.email,
          expiresAt: inv.expiresAt,
          link: new URL(inv.linkPath, window.location.origin).toString(),
        });
        form.reset();
        onInvited();
      },
      onError: (err) => {
        if (err instanceof TRPCClientError && err.data?.code === "CONFLICT") {
          form.setError("email", { type: "conflict" });
        } else toast.error(errorMessage(err));
      },
    }),
  );
  const copy = async (link: string) => {
    try {
      await navigator.clipboard.writeText(link);
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
  };
  // Our own words, not the schema's: a conflict from the server, else a malformed address.
  const emailIssue = form.formState.errors.email;
  const emailError = emailIssue
    ? t(emailIssue.type === "conflict" ? "alreadyMember" : "emailInvalid")
    : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("inviteTitle")}</CardTitle>
        <CardDescription>{t("inviteDescription")}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={form.handleSubmit((v) => (setCreated(null), invite.mutate(v)))}
          noValidate
        >
          <div className="grid gap-1.5">
            <Label htmlFor="invite-email">{t("email")}</Label>
            <Input
              id="invite-email"
              type="email"
              autoComplete="off"
              className="w-72 max-w-full"
              aria-invalid={!!emailError}
              aria-describedby="invite-email-error"
              {...form.register("email")}
            />
            <p id="invite-email-error" className="min-h-4 text-xs text-destructive">
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
          <Button type="submit" disabled={invite.isPending} className="mb-5">
            {t("invite")}
          </Button>
        </form>
        {created && (
          <div className="grid gap-2 rounded-md border bg-muted/40 p-3" role="status">
            <Label htmlFor="invite-link">{t("linkLabel")}</Label>
            <div className="flex gap-2">
              <Input
                id="invite-link"
                readOnly
                value={created.link}
                onFocus={(e) => e.target.select()}
              />
              <Button type="button" variant="outline" onClick={() => void copy(created.link)}>
                <Copy aria-hidden /> {t("copy")}
              </Button>
            </div>
            <p className="text-xs text-muted-foreground">
              {t("linkHelp", {
                email: created.email,
                date: format.dateTime(created.expiresAt, {
                  dateStyle: "medium",
                  timeStyle: "short",
                }),
              })}
            </p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
