"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { stripSeparators } from "./group-picker";

/** Create or rename a group; the caller maps a server "name taken" back via `error`. */
export function GroupNameDialog({
  open,
  onOpenChange,
  title,
  initialName,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  initialName: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: (name: string) => void;
}) {
  const t = useTranslations("contacts.groups");
  const common = useTranslations("common");
  const id = useId();
  const [name, setName] = useState(initialName);
  const [localError, setLocalError] = useState<string | null>(null);
  const shown = localError ?? error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = name.trim();
    if (!clean) return setLocalError(common("error"));
    onSubmit(clean);
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")}>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
          </DialogHeader>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-name`}>{t("name")}</Label>
            <Input
              id={`${id}-name`}
              value={name}
              maxLength={80}
              autoFocus
              autoComplete="off"
              aria-invalid={!!shown}
              aria-describedby={`${id}-error`}
              onChange={(e) => (setName(stripSeparators(e.target.value)), setLocalError(null))}
            />
            <p id={`${id}-error`} className="min-h-4 text-xs text-destructive">
              {shown}
            </p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {common("cancel")}
            </Button>
            <Button type="submit" disabled={pending || !name.trim()}>
              {submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
