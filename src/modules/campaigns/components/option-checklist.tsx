"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

export type ChecklistOption = { id: string; label: string; detail?: ReactNode; disabled?: boolean };

const FILTER_FROM = 8;

/**
 * A multi-select as a list of native checkboxes (Tab into it, Space to toggle) in a
 * scrolling box; long lists get a filter box on top.
 */
export function OptionChecklist({
  legend,
  options,
  value,
  onChange,
  invalid,
  describedBy,
  emptyText,
  filterLabel,
}: {
  legend: string;
  options: ChecklistOption[];
  value: string[];
  onChange: (ids: string[]) => void;
  invalid?: boolean;
  describedBy?: string;
  emptyText?: ReactNode;
  filterLabel?: string;
}) {
  const t = useTranslations("campaigns.builder");
  const id = useId();
  const [filter, setFilter] = useState("");
  const needle = filter.trim().toLowerCase();
  const shown = needle ? options.filter((o) => o.label.toLowerCase().includes(needle)) : options;
  const toggle = (optionId: string, on: boolean) =>
    onChange(on ? [...value, optionId] : value.filter((v) => v !== optionId));

  return (
    <div
      role="group"
      aria-labelledby={`${id}-legend`}
      aria-describedby={describedBy}
      className="grid gap-2"
    >
      <div className="mb-1 flex items-baseline justify-between gap-2 text-sm">
        <span id={`${id}-legend`} className="font-medium">
          {legend}
        </span>
        {value.length > 0 && (
          <span className="text-xs text-muted-foreground" aria-live="polite">
            {t("selectedCount", { count: value.length })}
          </span>
        )}
      </div>
      {options.length >= FILTER_FROM && (
        <div className="relative">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder={filterLabel}
            aria-label={filterLabel ? `${filterLabel} (${legend})` : legend}
            className="h-8 pl-8"
          />
        </div>
      )}
      {options.length === 0 ? (
        <div className="text-sm text-muted-foreground">{emptyText}</div>
      ) : (
        <ul
          className={cn(
            "grid max-h-56 gap-0.5 overflow-y-auto rounded-md border p-1",
            invalid && "border-destructive",
          )}
        >
          {shown.map((o) => {
            const optionId = `${id}-${o.id}`;
            const checked = value.includes(o.id);
            return (
              <li key={o.id}>
                <label
                  htmlFor={optionId}
                  className={cn(
                    "flex cursor-pointer items-start gap-2 rounded-sm px-2 py-1.5 text-sm hover:bg-accent",
                    checked && "bg-accent/60",
                    o.disabled && "cursor-not-allowed opacity-60",
                  )}
                >
                  <input
                    id={optionId}
                    type="checkbox"
                    className="mt-0.5 size-4 shrink-0 accent-primary"
                    checked={checked}
                    disabled={o.disabled && !checked}
                    onChange={(e) => toggle(o.id, e.target.checked)}
                  />
                  <span className="grid min-w-0 gap-0.5">
                    <span className="truncate">{o.label}</span>
                    {o.detail && <span className="text-xs text-muted-foreground">{o.detail}</span>}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
