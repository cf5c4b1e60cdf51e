"use client";

import { Check } from "lucide-react";
import { useTranslations } from "next-intl";
import { cn } from "@/lib/utils";

export const IMPORT_STEPS = ["upload", "mapping", "progress", "result"] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

/** Where the user is in upload → columns → import → result. */
export function ImportSteps({ current }: { current: ImportStep }) {
  const t = useTranslations("imports.steps");
  const at = IMPORT_STEPS.indexOf(current);
  return (
    <nav aria-label={t("label")} className="mb-6">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm">
        {IMPORT_STEPS.map((step, i) => {
          const done = i < at;
          const active = i === at;
          return (
            <li
              key={step}
              className="flex items-center gap-2"
              aria-current={active ? "step" : undefined}
            >
              {i > 0 && (
                <span
                  aria-hidden
                  className={cn("h-px w-6 bg-border", done || active ? "bg-foreground/40" : "")}
                />
              )}
              <span
                aria-hidden
                className={cn(
                  "flex size-6 items-center justify-center rounded-full border text-xs font-medium tabular-nums",
                  active && "border-primary bg-primary text-primary-foreground",
                  done && "border-foreground/40 text-foreground",
                  !active && !done && "text-muted-foreground",
                )}
              >
                {done ? <Check className="size-3.5" /> : i + 1}
              </span>
              <span className={cn(active ? "font-medium" : "text-muted-foreground")}>
                {t(step)}
                {done && <span className="sr-only"> ({t("done")})</span>}
                {active && <span className="sr-only"> ({t("current")})</span>}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
