"use client";

import { Plus, X } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** `|` and `;` separate groups in CSV cells, so names cannot contain them. */
export const stripSeparators = (name: string) => name.replace(/[|;]/g, "");

/**
 * Several group names: pick existing ones (suggested as you type) or type a new name, which
 * the server creates. Names match case-insensitively, so "vip" reuses "VIP".
 */
export function GroupPicker({
  value,
  onChange,
  options,
  inputId,
  invalid,
  describedBy,
}: {
  value: string[];
  onChange: (names: string[]) => void;
  options: { id: string; name: string }[];
  inputId?: string;
  invalid?: boolean;
  describedBy?: string;
}) {
  const t = useTranslations("contacts.groupPicker");
  const listId = useId();
  const hintId = useId();
  const [draft, setDraft] = useState("");
  const has = (name: string) => value.some((v) => v.toLowerCase() === name.toLowerCase());

  const add = () => {
    const typed = draft.trim();
    if (!typed) return;
    // Prefer the existing spelling when the name matches a group in another case.
    const existing = options.find((o) => o.name.toLowerCase() === typed.toLowerCase());
    const name = existing?.name ?? typed;
    if (!has(name)) onChange([...value, name]);
    setDraft("");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && !draft && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className="grid gap-2">
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-live="polite">
          {value.map((name) => (
            <li key={name.toLowerCase()}>
              <Badge variant="secondary" className="gap-1 pr-1">
                {name}
                <button
                  type="button"
                  className="rounded-sm p-0.5 hover:bg-background/60 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                  aria-label={t("remove", { name })}
                  onClick={() => onChange(value.filter((v) => v !== name))}
                >
                  <X className="size-3" aria-hidden />
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2">
        <Input
          id={inputId}
          value={draft}
          list={listId}
          placeholder={t("placeholder")}
          maxLength={80}
          autoComplete="off"
          aria-invalid={invalid || undefined}
          aria-describedby={[hintId, describedBy].filter(Boolean).join(" ")}
          onChange={(e) => setDraft(stripSeparators(e.target.value))}
          onKeyDown={onKeyDown}
          onBlur={add}
        />
        <Button type="button" variant="outline" size="icon" onClick={add} aria-label={t("add")}>
          <Plus aria-hidden />
        </Button>
      </div>
      <datalist id={listId}>
        {options
          .filter((o) => !has(o.name))
          .map((o) => (
            <option key={o.id} value={o.name} />
          ))}
      </datalist>
      <p id={hintId} className="text-xs text-muted-foreground">
        {t("hint")}
      </p>
    </div>
  );
}
