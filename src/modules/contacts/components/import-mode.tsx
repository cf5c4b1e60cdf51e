"use client";

import { useTranslations } from "next-intl";
import { cn } from "@/lib/utils";
import { IMPORT_MODES } from "../imports.schema";

export type ImportModeChoice = (typeof IMPORT_MODES)[number];

/** What the import may change on contacts that already exist: three radio choices. */
export function ImportModePicker({
  value,
  onChange,
  disabled,
}: {
  value: ImportModeChoice;
  onChange: (mode: ImportModeChoice) => void;
  disabled?: boolean;
}) {
  const t = useTranslations("imports.mapping");
  return (
    <fieldset className="space-y-2" disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">{t("mode")}</legend>
      <div className="grid gap-2 md:grid-cols-3">
        {IMPORT_MODES.map((mode) => (
          <label
            key={mode}
            className={cn(
              "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
              value === mode && "border-primary bg-primary/5",
            )}
          >
            <input
              type="radio"
              name="import-mode"
              value={mode}
              checked={value === mode}
              onChange={() => onChange(mode)}
              aria-describedby={`import-mode-${mode}-hint`}
              className="mt-0.5 size-4 shrink-0 accent-primary"
            />
            <span className="space-y-1">
              <span className="block font-medium">{t(`mode_${mode}`)}</span>
              <span id={`import-mode-${mode}-hint`} className="block text-muted-foreground">
                {t(`mode_${mode}Hint`)}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
