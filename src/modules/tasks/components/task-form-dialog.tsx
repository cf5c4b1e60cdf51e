"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
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
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { SEND_MESSAGE } from "../tasks.schema";

type Bot = { id: string; name: string };

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text || "{}") as unknown;
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

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
  const id = useId();
  const actions = useQuery({ ...trpc.tasks.actions.queryOptions(), enabled: open });
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
  const names = [SEND_MESSAGE, ...(actions.data ?? []).map((a) => a.name)];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const payload = parseJson(String(data.get("payload") ?? ""));
    if (!payload) return setError(t("payloadInvalid"));
    setError(null);
    create.mutate({
      botId: String(data.get("botId")),
      action: String(data.get("action")),
      payload,
      priority: Number(data.get("priority") || 0),
      timeoutSeconds: Number(data.get("timeoutSeconds") || 300),
      maxAttempts: Number(data.get("maxAttempts") || 3),
    });
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
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-bot`}>{t("bot")}</Label>
              <select
                id={`${id}-bot`}
                name="botId"
                className="h-9 rounded-md border bg-transparent px-3 text-sm"
              >
                {bots.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-action`}>{t("action")}</Label>
              <select
                id={`${id}-action`}
                name="action"
                className="h-9 rounded-md border bg-transparent px-3 font-mono text-sm"
              >
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-payload`}>{t("payload")}</Label>
              <Textarea
                id={`${id}-payload`}
                name="payload"
                className="min-h-28 font-mono text-xs"
                defaultValue="{}"
                aria-describedby={`${id}-payload-hint`}
              />
              <p id={`${id}-payload-hint`} className="text-xs text-muted-foreground">
                {t("payloadHint")}
              </p>
            </div>
            <div className="grid gap-3 sm:grid-cols-3">
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-priority`}>{t("priority")}</Label>
                <Input
                  id={`${id}-priority`}
                  name="priority"
                  type="number"
                  min={-100}
                  max={100}
                  defaultValue={0}
                />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-timeout`}>{t("timeoutSeconds")}</Label>
                <Input
                  id={`${id}-timeout`}
                  name="timeoutSeconds"
                  type="number"
                  min={1}
                  max={86400}
                  defaultValue={300}
                />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-attempts`}>{t("maxAttempts")}</Label>
                <Input
                  id={`${id}-attempts`}
                  name="maxAttempts"
                  type="number"
                  min={1}
                  max={20}
                  defaultValue={3}
                />
              </div>
            </div>
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
