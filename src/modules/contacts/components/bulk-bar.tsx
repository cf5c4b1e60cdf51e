"use client";

import { useMutation } from "@tanstack/react-query";
import { FolderMinus, FolderPlus, Trash2, UserX, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useCallback, useId, useState, type FormEvent } from "react";
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
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import type { BulkActionInput, BulkByFilterInput, BulkRunView } from "../contacts.schema";
import { BulkRunProgress } from "./bulk-run-progress";
import { stripSeparators } from "./group-picker";
import { ReasonDialog } from "./reason-dialog";

type Open = null | "add" | "remove" | "optOut" | "delete";

/** Shown while rows are selected: the set-based actions on them. */
export function BulkBar({
  ids,
  matching,
  groupOptions,
  onClear,
  onDone,
}: {
  ids: string[];
  /** "Select all N that match": the actions run server-side over the filters instead. */
  matching?: { filters: BulkByFilterInput["filters"]; total: number } | null;
  groupOptions: { id: string; name: string }[];
  onClear: () => void;
  onDone: () => void;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("contacts");
  const trpc = useTRPC();
  const [open, setOpen] = useState<Open>(null);
  const count = matching ? matching.total : ids.length;
  const [runId, setRunId] = useState<string | null>(null);
  const bulk = useMutation(
    trpc.contacts.bulk.mutationOptions({
      onSuccess: ({ affected }, input) => {
        setOpen(null);
        if (input.action === "addToGroup") {
          toast.success(t("bulk.added", { count: affected, group: input.groupName ?? "" }));
        } else if (input.action === "removeFromGroup") {
          toast.success(t("bulk.removed", { count: affected }));
        } else if (input.action === "optOut") {
          toast.success(t("optOut.bulkDone", { count: affected }));
        } else {
          toast.success(t("delete.bulkDone", { count: affected }));
        }
        onDone();
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const byFilter = useMutation(
    trpc.contacts.bulkByFilter.mutationOptions({
      onSuccess: (run) => (setOpen(null), setRunId(run.id)),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const pending = bulk.isPending || byFilter.isPending;
  const act = (params: Omit<BulkActionInput, "ids">) =>
    matching
      ? byFilter.mutate({ filters: matching.filters, expected: matching.total, ...params })
      : bulk.mutate({ ids, ...params });
  const onRunEnd = useCallback(
    (run: BulkRunView) => {
      setRunId(null);
      if (run.status === "failed") toast.error(t("bulk.failed", { processed: run.processed }));
      else if (run.action === "addToGroup")
        toast.success(t("bulk.grouped", { count: run.affected }));
      else if (run.action === "removeFromGroup")
        toast.success(t("bulk.removed", { count: run.affected }));
      else if (run.action === "optOut")
        toast.success(t("optOut.bulkDone", { count: run.affected }));
      else toast.success(t("delete.bulkDone", { count: run.affected }));
      onDone();
    },
    [onDone, t],
  );
  const close = (next: boolean) => !next && setOpen(null);
  if (runId) {
    return (
      <div
        role="region"
        aria-label={t("bulk.label")}
        className="flex w-full flex-wrap items-center gap-2 rounded-md border bg-muted/50 px-3 py-2"
      >
        <BulkRunProgress runId={runId} onEnd={onRunEnd} />
      </div>
    );
  }

  return (
    <div
      role="region"
      aria-label={t("bulk.label")}
      className="flex flex-wrap items-center gap-2 rounded-md border bg-muted/50 px-3 py-2"
    >
      <span className="text-sm font-medium" aria-live="polite">
        {t("bulk.selected", { count })}
      </span>
      <Button variant="ghost" size="sm" onClick={onClear}>
        <X aria-hidden />
        {t("bulk.clear")}
      </Button>
      <div className="ml-auto flex flex-wrap gap-2">
        <Button variant="outline" size="sm" onClick={() => setOpen("add")}>
          <FolderPlus aria-hidden />
          {t("bulk.addToGroup")}
        </Button>
        <Button
          variant="outline"
          size="sm"
          onClick={() => setOpen("remove")}
          disabled={groupOptions.length === 0}
        >
          <FolderMinus aria-hidden />
          {t("bulk.removeFromGroup")}
        </Button>
        <Button variant="outline" size="sm" onClick={() => setOpen("optOut")}>
          <UserX aria-hidden />
          {t("bulk.optOut")}
        </Button>
        <Button variant="destructive" size="sm" onClick={() => setOpen("delete")}>
          <Trash2 aria-hidden />
          {t("bulk.delete")}
        </Button>
      </div>

      <GroupDialog
        mode="add"
        open={open === "add"}
        onOpenChange={close}
        count={count}
        groupOptions={groupOptions}
        pending={pending}
        onSubmit={(group) => act({ action: "addToGroup", groupName: group.name })}
      />
      <GroupDialog
        mode="remove"
        open={open === "remove"}
        onOpenChange={close}
        count={count}
        groupOptions={groupOptions}
        pending={pending}
        onSubmit={(group) => group.id && act({ action: "removeFromGroup", groupId: group.id })}
      />
      <ReasonDialog
        open={open === "optOut"}
        onOpenChange={close}
        title={t("optOut.bulkTitle", { count })}
        description={t("optOut.body")}
        confirmLabel={t("optOut.confirm")}
        destructive
        pending={pending}
        onConfirm={(reason) => act({ action: "optOut", reason })}
      />
      <ConfirmDialog
        open={open === "delete"}
        onOpenChange={close}
        title={t("delete.bulkTitle", { count })}
        description={t("delete.body")}
        confirmLabel={t("delete.confirm")}
        onConfirm={() => act({ action: "delete" })}
      />
    </div>
  );
}

/** Add: an existing group or a new name (created). Remove: one of the existing groups. */
function GroupDialog({
  mode,
  open,
  onOpenChange,
  count,
  groupOptions,
  pending,
  onSubmit,
}: {
  mode: "add" | "remove";
  open: boolean;
  onOpenChange: (open: boolean) => void;
  count: number;
  groupOptions: { id: string; name: string }[];
  pending: boolean;
  onSubmit: (group: { id?: string; name: string }) => void;
}) {
  const t = useTranslations("contacts");
  const common = useTranslations("common");
  const id = useId();
  const [name, setName] = useState("");
  const [groupId, setGroupId] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === "add") {
      const typed = name.trim();
      if (!typed) return setError(t("errors.groupRequired"));
      const existing = groupOptions.find((g) => g.name.toLowerCase() === typed.toLowerCase());
      onSubmit(existing ?? { name: typed });
    } else {
      const group = groupOptions.find((g) => g.id === groupId);
      if (!group) return setError(t("errors.groupRequired"));
      onSubmit(group);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setName("");
          setGroupId("");
          setError(null);
        }
        onOpenChange(next);
      }}
    >
      <DialogContent closeLabel={common("close")}>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>
              {t(mode === "add" ? "bulk.addTitle" : "bulk.removeTitle", { count })}
            </DialogTitle>
            {mode === "add" && <DialogDescription>{t("bulk.addBody")}</DialogDescription>}
          </DialogHeader>
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-group`}>{t("bulk.group")}</Label>
            {mode === "add" ? (
              <>
                <Input
                  id={`${id}-group`}
                  list={`${id}-options`}
                  value={name}
                  maxLength={80}
                  autoComplete="off"
                  autoFocus
                  placeholder={t("groupPicker.placeholder")}
                  aria-invalid={!!error}
                  aria-describedby={`${id}-error`}
                  onChange={(e) => (setName(stripSeparators(e.target.value)), setError(null))}
                />
                <datalist id={`${id}-options`}>
                  {groupOptions.map((g) => (
                    <option key={g.id} value={g.name} />
                  ))}
                </datalist>
              </>
            ) : (
              <Select value={groupId} onValueChange={(v) => (setGroupId(v), setError(null))}>
                <SelectTrigger
                  id={`${id}-group`}
                  className="w-full"
                  aria-invalid={!!error}
                  aria-describedby={`${id}-error`}
                >
                  <SelectValue placeholder={t("bulk.chooseGroup")} />
                </SelectTrigger>
                <SelectContent>
                  {groupOptions.map((g) => (
                    <SelectItem key={g.id} value={g.id}>
                      {g.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
            <p id={`${id}-error`} className="min-h-4 text-xs text-destructive">
              {error}
            </p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {common("cancel")}
            </Button>
            <Button type="submit" disabled={pending}>
              {mode === "add" ? t("bulk.addToGroup") : t("bulk.removeFromGroup")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
