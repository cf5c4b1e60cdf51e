"use client";

import { useMutation } from "@tanstack/react-query";
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

const EXAMPLE = JSON.stringify(
  { type: "object", properties: { url: { type: "string" } }, required: ["url"] },
  null,
  2,
);

/** Declares an action the workspace's own bots implement: a name and its payload's JSON Schema. */
export function ActionFormDialog({
  open,
  onOpenChange,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => void;
}) {
  const t = useTranslations("tasks.actionForm");
  const common = useTranslations("common");
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const define = useMutation(
    trpc.tasks.defineAction.mutationOptions({
      onSuccess: () => {
        toast.success(t("saved"));
        onOpenChange(false);
        onSaved();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let schema: unknown;
    try {
      schema = JSON.parse(String(data.get("schema") ?? ""));
    } catch {
      return setError(t("schemaInvalid"));
    }
    if (!schema || typeof schema !== "object" || Array.isArray(schema)) {
      return setError(t("schemaInvalid"));
    }
    setError(null);
    define.mutate({
      name: String(data.get("name") ?? "").trim(),
      description: String(data.get("description") ?? "").trim() || undefined,
      schema: schema as Record<string, unknown>,
    });
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")}>
        <DialogHeader>
          <DialogTitle>{t("title")}</DialogTitle>
          <DialogDescription>{t("description")}</DialogDescription>
        </DialogHeader>
        <form className="grid gap-3" onSubmit={submit}>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-name`}>{t("name")}</Label>
            <Input
              id={`${id}-name`}
              name="name"
              required
              placeholder="visit.page"
              className="font-mono"
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-description`}>{t("descriptionLabel")}</Label>
            <Input id={`${id}-description`} name="description" />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-schema`}>{t("schema")}</Label>
            <Textarea
              id={`${id}-schema`}
              name="schema"
              className="min-h-36 font-mono text-xs"
              defaultValue={EXAMPLE}
            />
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
            <Button type="submit" disabled={define.isPending}>
              {define.isPending ? common("saving") : common("save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
