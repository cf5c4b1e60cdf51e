"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { CONTACT_SOURCES } from "../contacts.schema";
import type { ContactsFilters } from "./contacts-url";

const ALL = "__all";

export function ContactsFiltersBar({
  searchInput,
  onSearchInput,
  filters,
  onChange,
  groupOptions,
  onClear,
}: {
  searchInput: string;
  onSearchInput: (value: string) => void;
  filters: ContactsFilters;
  onChange: (patch: Partial<ContactsFilters>) => void;
  groupOptions: { id: string; name: string }[];
  onClear: (() => void) | null;
}) {
  const t = useTranslations("contacts.filters");
  const sourceLabel = useTranslations("contacts.source");
  return (
    <div role="search" aria-label={t("label")} className="flex flex-wrap items-center gap-2">
      <div className="relative w-full max-w-sm">
        <Search
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          aria-hidden
        />
        <Input
          type="search"
          value={searchInput}
          maxLength={100}
          onChange={(e) => onSearchInput(e.target.value)}
          placeholder={t("search")}
          aria-label={t("search")}
          aria-keyshortcuts="/"
          title={t("searchHint")}
          className="pl-8"
        />
      </div>
      <Select
        value={filters.groupId ?? ALL}
        onValueChange={(v) => onChange({ groupId: v === ALL ? null : v })}
      >
        <SelectTrigger className="w-48" aria-label={t("group")}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{t("allGroups")}</SelectItem>
          {groupOptions.map((g) => (
            <SelectItem key={g.id} value={g.id}>
              {g.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Select
        value={filters.source ?? ALL}
        onValueChange={(v) =>
          onChange({ source: v === ALL ? null : (v as ContactsFilters["source"]) })
        }
      >
        <SelectTrigger className="w-48" aria-label={t("source")}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{t("allSources")}</SelectItem>
          {CONTACT_SOURCES.map((s) => (
            <SelectItem key={s} value={s}>
              {sourceLabel(s)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      <Select
        value={filters.optedOut ?? ALL}
        onValueChange={(v) => onChange({ optedOut: v === ALL ? null : (v as "only" | "exclude") })}
      >
        <SelectTrigger className="w-48" aria-label={t("optedOut")}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>{t("optedOutAll")}</SelectItem>
          <SelectItem value="exclude">{t("optedOutExclude")}</SelectItem>
          <SelectItem value="only">{t("optedOutOnly")}</SelectItem>
        </SelectContent>
      </Select>
      {onClear && (
        <Button variant="ghost" size="sm" onClick={onClear}>
          {t("clear")}
        </Button>
      )}
    </div>
  );
}
