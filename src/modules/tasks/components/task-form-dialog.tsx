"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { readTaskSpec, TaskSpecFields } from "./task-spec-fields";

type Bot = { id: string; name: string };

/** New task: agent bot, action, JSON payload (checked by the server against the action). */
export function TaskFormDialog({
  open,
  onOpenChange,
  bots,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  bots: Bot[];
  onCreated: () => void;
}) {
  const t = useTranslations("tasks.form");
  const common = useTranslations("common");
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      onSuccess: () => {
        toast.success(t("created"));
        onOpenChange(false);
        onCreated();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const spec = readTaskSpec(new FormData(event.currentTarget));
    if (!spec) return setError(t("payloadInvalid"));
    setError(null);
    create.mutate(spec);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")}>
        <DialogHeader>
          <DialogTitle>{t("title")}</DialogTitle>
          <DialogDescription>{t("description")}</DialogDescription>
        </DialogHeader>
        {bots.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("noAgents")}</p>
        ) : (
          <form className="grid gap-3" onSubmit={submit}>
            <TaskSpecFields
              bots={bots}
              payloadLabel={t("payload")}
              payloadHint={t("payloadHint")}
            />
            {error && (
              <p role="alert" className="text-sm text-destructive">
                {error}
              </p>
            )}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                {common("cancel")}
              </Button>
              <Button type="submit" disabled={create.isPending}>
                {create.isPending ? common("saving") : t("submit")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
