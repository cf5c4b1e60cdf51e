"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
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
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { createWorkspaceInput } from "@/modules/workspaces/workspaces.schema";

type Values = z.infer<typeof createWorkspaceInput>;

export function CreateWorkspaceDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (id: string) => void;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("shell");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const form = useForm<Values>({
    resolver: zodResolver(createWorkspaceInput),
    defaultValues: { name: "" },
  });
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: (ws) => {
        form.reset();
        onOpenChange(false);
        onCreated(ws.id);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const error = form.formState.errors.name?.message;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")}>
        <form
          onSubmit={form.handleSubmit((v) => create.mutate(v))}
          noValidate
          className="grid gap-4"
        >
          <DialogHeader>
            <DialogTitle>{t("newWorkspace")}</DialogTitle>
            <DialogDescription>{t("newWorkspaceBody")}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-1.5">
            <Label htmlFor="new-workspace-name">{t("workspaceName")}</Label>
            <Input
              id="new-workspace-name"
              autoFocus
              aria-invalid={!!error}
              {...form.register("name")}
            />
            <p className="min-h-4 text-xs text-destructive" role={error ? "alert" : undefined}>
              {error}
            </p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {common("cancel")}
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {t("create")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
