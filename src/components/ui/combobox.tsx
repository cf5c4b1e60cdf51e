"use client";

import { Check, ChevronsUpDown } from "lucide-react";
import * as React from "react";
import { cn } from "@/lib/utils";

export type ComboboxOption = { value: string; label: string };

// Typing "peru" finds "Perú", "asun" finds "America/Asuncion".
const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const MAX_SHOWN = 100;

/**
 * A searchable select (WAI-ARIA combobox with a listbox popup): type to filter by label or
 * value, arrows to move, Enter or a click to choose, Escape to close. The input shows the
 * chosen option's label; what is typed never becomes the value unless it is an option.
 */
export function Combobox({
  id,
  value,
  onChange,
  options,
  placeholder,
  noResults,
  invalid,
  describedBy,
  onBlur,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly ComboboxOption[];
  placeholder?: string;
  noResults: string;
  invalid?: boolean;
  describedBy?: string;
  onBlur?: () => void;
}) {
  const listId = `${id}-list`;
  const selected = options.find((o) => o.value === value);
  const [query, setQuery] = React.useState<string | null>(null);
  const [open, setOpen] = React.useState(false);
  const [active, setActive] = React.useState(0);
  const listRef = React.useRef<HTMLUListElement>(null);

  const matches = React.useMemo(() => {
    if (!query) return options.slice(0, MAX_SHOWN);
    const q = fold(query.trim());
    return options
      .filter((o) => fold(o.label).includes(q) || fold(o.value).includes(q))
      .slice(0, MAX_SHOWN);
  }, [options, query]);

  React.useEffect(() => {
    listRef.current
      ?.querySelector(`[data-index="${active}"]`)
      ?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const close = () => {
    setOpen(false);
    setQuery(null);
  };
  const choose = (option: ComboboxOption) => {
    onChange(option.value);
    close();
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => Math.min(Math.max(i + step, 0), Math.max(matches.length - 1, 0)));
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      const option = matches[active];
      if (option) choose(option);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      close();
    }
  };

  const activeId = open && matches[active] ? `${id}-option-${active}` : undefined;
  return (
    <div className="relative">
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        placeholder={placeholder}
        value={query ?? selected?.label ?? value}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(e) => e.target.select()}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          close();
          onBlur?.();
        }}
        className={cn(
          "flex h-9 w-full min-w-0 rounded-md border border-input bg-transparent py-1 pr-8 pl-3 text-base shadow-xs transition-[color,box-shadow] outline-none placeholder:text-muted-foreground md:text-sm dark:bg-input/30",
          "focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50",
          "aria-invalid:border-destructive aria-invalid:ring-destructive/20 dark:aria-invalid:ring-destructive/40",
        )}
      />
      <ChevronsUpDown
        className="pointer-events-none absolute top-2.5 right-2.5 size-4 opacity-50"
        aria-hidden
      />
      {open && (
        <ul
          id={listId}
          ref={listRef}
          role="listbox"
          className="absolute z-50 mt-1 max-h-64 w-full overflow-y-auto rounded-md border bg-popover p-1 text-sm text-popover-foreground shadow-md"
        >
          {matches.length === 0 ? (
            <li className="px-2 py-1.5 text-muted-foreground">{noResults}</li>
          ) : (
            matches.map((option, i) => (
              <li
                key={option.value}
                id={`${id}-option-${i}`}
                data-index={i}
                role="option"
                aria-selected={option.value === value}
                // Chosen on mousedown: a click's blur would close the list first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(option);
                }}
                onMouseMove={() => setActive(i)}
                className={cn(
                  "flex cursor-default items-center gap-2 rounded-sm px-2 py-1.5",
                  i === active && "bg-accent text-accent-foreground",
                )}
              >
                <Check
                  className={cn("size-4", option.value === value ? "opacity-100" : "opacity-0")}
                  aria-hidden
                />
                {option.label}
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
