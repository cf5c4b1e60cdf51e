"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
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
import { PRESETS, type DashboardFilters } from "./use-dashboard-filters";

const ALL = "all";

/** Range presets, custom dates, bucket, group, campaign and bot — all written to the URL. */
export function DashboardFiltersBar({
  filters,
  update,
}: {
  filters: DashboardFilters;
  update: (changes: Record<string, string | null>) => void;
}) {
  const t = useTranslations("stats.filters");
  const trpc = useTRPC();
  const groups = useQuery(trpc.groups.options.queryOptions({}));
  const campaigns = useQuery(trpc.campaigns.list.queryOptions({ page: 1, pageSize: 100 }));
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));

  const picker = (
    id: string,
    label: string,
    value: string | undefined,
    options: { id: string; name: string }[],
    param: string,
  ) => (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value ?? ALL} onValueChange={(v) => update({ [param]: v === ALL ? null : v })}>
        <SelectTrigger id={id} className="w-44" data-testid={`filter-${param}`}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{t("all")}</SelectItem>
          {options.map((o) => (
            <SelectItem key={o.id} value={o.id}>
              {o.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );

  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label={t("label")}>
      <div className="grid gap-1.5">
        <Label htmlFor="stats-range">{t("range")}</Label>
        <Select
          value={filters.preset}
          onValueChange={(v) =>
            update(
              v === "custom"
                ? { range: v, from: filters.from, to: filters.to, bucket: null }
                : { range: v, from: null, to: null, bucket: null },
            )
          }
        >
          <SelectTrigger id="stats-range" className="w-40" data-testid="filter-range">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {PRESETS.map((p) => (
              <SelectItem key={p} value={p}>
                {t(`preset.${p}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {filters.preset === "custom" && (
        <>
          <div className="grid gap-1.5">
            <Label htmlFor="stats-from">{t("from")}</Label>
            <Input
              id="stats-from"
              type="date"
              className="w-40"
              value={filters.from}
              max={filters.to}
              onChange={(e) => e.target.value && update({ from: e.target.value, bucket: null })}
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="stats-to">{t("to")}</Label>
            <Input
              id="stats-to"
              type="date"
              className="w-40"
              value={filters.to}
              min={filters.from}
              onChange={(e) => e.target.value && update({ to: e.target.value, bucket: null })}
            />
          </div>
        </>
      )}
      <div className="grid gap-1.5">
        <Label htmlFor="stats-bucket">{t("bucket")}</Label>
        <Select value={filters.bucket} onValueChange={(v) => update({ bucket: v })}>
          <SelectTrigger id="stats-bucket" className="w-32" data-testid="filter-bucket">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {(["hour", "day", "month"] as const).map((b) => (
              <SelectItem key={b} value={b}>
                {t(`bucketName.${b}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {picker("stats-group", t("group"), filters.groupId, groups.data ?? [], "group")}
      {picker(
        "stats-campaign",
        t("campaign"),
        filters.campaignId,
        (campaigns.data?.rows ?? []).map((c) => ({ id: c.id, name: c.name })),
        "campaign",
      )}
      {picker(
        "stats-bot",
        t("bot"),
        filters.botId,
        (bots.data?.rows ?? []).map((b) => ({ id: b.id, name: b.name })),
        "bot",
      )}
    </div>
  );
}
