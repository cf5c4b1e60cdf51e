"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { useId, useMemo, useState, type FormEvent } from "react";
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
import { toLocale } from "@/i18n/locales";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { readTaskSpec, TaskSpecFields } from "@/modules/tasks/components/task-spec-fields";
import type { ScheduleView } from "../schedules.schema";
import { CronLivePreview } from "./cron-live-preview";

type Bot = { id: string; name: string };
const selectClass = "h-9 rounded-md border bg-transparent px-3 text-sm";

/** New or edited schedule: name, cron with a live reading, zone, and a task or campaign. */
export function ScheduleFormDialog({
  open,
  onOpenChange,
  editing,
  bots,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  editing: ScheduleView | null;
  bots: Bot[];
  onSaved: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {open && (
        <ScheduleForm
          key={editing?.id ?? "new"}
          editing={editing}
          bots={bots}
          onDone={() => (onOpenChange(false), onSaved())}
          onCancel={() => onOpenChange(false)}
        />
      )}
    </Dialog>
  );
}

function ScheduleForm({
  editing,
  bots,
  onDone,
  onCancel,
}: {
  editing: ScheduleView | null;
  bots: Bot[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations("schedules.form");
  const schedules = useTranslations("schedules");
  const common = useTranslations("common");
  const locale = toLocale(useLocale());
  const readerZone = useTimeZone() ?? "UTC";
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const id = useId();
  const target = editing?.target;
  const task = target?.kind === "task" ? target : null;
  const [cron, setCron] = useState(editing?.cron ?? "0 * * * *");
  const [timeZone, setTimeZone] = useState(editing?.timeZone ?? readerZone);
  const [kind, setKind] = useState<"task" | "campaign">(target?.kind ?? "task");
  const [error, setError] = useState<string | null>(null);
  const campaigns = useQuery(trpc.campaigns.list.queryOptions({ page: 1, pageSize: 100 }));
  const saved = (campaigns.data?.rows ?? []).filter((c) => !c.parentId);
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);

  const onSuccess = () => (toast.success(schedules("saved")), onDone());
  const onError = (err: unknown) => setError(errorMessage(err));
  const create = useMutation(trpc.schedules.create.mutationOptions({ onSuccess, onError }));
  const update = useMutation(trpc.schedules.update.mutationOptions({ onSuccess, onError }));
  const pending = create.isPending || update.isPending;
  // Nothing to point the schedule at yet: the form says so and cannot be sent.
  const noTarget = kind === "task" ? bots.length === 0 : saved.length === 0;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    let scheduleTarget;
    if (kind === "task") {
      const spec = readTaskSpec(data);
      if (!spec) return setError(t("payloadInvalid"));
      scheduleTarget = { kind, ...spec };
    } else {
      scheduleTarget = { kind, campaignId: String(data.get("campaignId")) };
    }
    setError(null);
    const input = {
      name: String(data.get("name") ?? ""),
      cron,
      timeZone,
      enabled: data.get("enabled") === "on",
      target: scheduleTarget,
      locale,
    };
    if (editing) update.mutate({ id: editing.id, ...input });
    else create.mutate(input);
  };

  return (
    <DialogContent closeLabel={common("close")}>
      <DialogHeader>
        <DialogTitle>{editing ? t("editTitle") : t("createTitle")}</DialogTitle>
        <DialogDescription>{t("description")}</DialogDescription>
      </DialogHeader>
      <form className="grid gap-3" onSubmit={submit}>
        <div className="grid gap-1.5">
          <Label htmlFor={`${id}-name`}>{t("name")}</Label>
          <Input
            id={`${id}-name`}
            name="name"
            required
            maxLength={120}
            defaultValue={editing?.name}
          />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-cron`}>{t("cron")}</Label>
            <Input
              id={`${id}-cron`}
              className="font-mono"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              aria-describedby={`${id}-cron-hint ${id}-preview`}
              autoComplete="off"
              spellCheck={false}
            />
            <p id={`${id}-cron-hint`} className="text-xs text-muted-foreground">
              {t("cronHint")}
            </p>
          </div>
          <div className="grid content-start gap-1.5">
            <Label htmlFor={`${id}-tz`}>{t("timeZone")}</Label>
            <Input
              id={`${id}-tz`}
              list={`${id}-zones`}
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
              aria-describedby={`${id}-tz-hint`}
              autoComplete="off"
            />
            <datalist id={`${id}-zones`}>
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            <p id={`${id}-tz-hint`} className="text-xs text-muted-foreground">
              {t("timeZoneHint")}
            </p>
          </div>
        </div>
        <CronLivePreview id={`${id}-preview`} cron={cron} timeZone={timeZone} />
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked={editing?.enabled ?? true}
            className="size-4"
          />
          {t("enabled")}
        </label>
        <fieldset className="grid gap-3 rounded-md border p-3">
          <legend className="px-1 text-sm font-medium">{t("target")}</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {(["task", "campaign"] as const).map((k) => (
              <label key={k} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                {k === "task" ? t("kindTask") : t("kindCampaign")}
              </label>
            ))}
          </div>
          {kind === "task" && bots.length === 0 && (
            <p className="text-sm text-muted-foreground">{t("noAgents")}</p>
          )}
          {kind === "task" && bots.length > 0 && (
            <>
              <TaskSpecFields
                bots={bots}
                initial={task ?? undefined}
                payloadLabel={t("payload")}
                payloadHint={t("payloadHint", { slot: "{{slot}}", schedule: "{{schedule}}" })}
              />
            </>
          )}
          {kind === "campaign" && saved.length === 0 && (
            <p className="text-sm text-muted-foreground">{t("noCampaigns")}</p>
          )}
          {kind === "campaign" && saved.length > 0 && (
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-campaign`}>{t("campaign")}</Label>
              <select
                id={`${id}-campaign`}
                name="campaignId"
                className={selectClass}
                defaultValue={target?.kind === "campaign" ? target.campaignId : undefined}
              >
                {saved.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>
        {error && (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        )}
        <DialogFooter>
          <Button type="button" variant="outline" onClick={onCancel}>
            {common("cancel")}
          </Button>
          <Button type="submit" disabled={pending || noTarget}>
            {pending ? common("saving") : editing ? t("save") : t("submit")}
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}
