"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, type ReactNode } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";

/** Form messages are keys under `campaigns.errors`; anything else (a server message) shows as is. */
export function useCampaignErrorText() {
  const t = useTranslations("campaigns.errors");
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    return t.has(message) ? t(message) : message;
  };
}

/** The error line under a field (always rendered, so the layout does not jump). */
export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  const errorText = useCampaignErrorText();
  return (
    <p id={id} className="min-h-4 text-xs text-destructive">
      {errorText(message)}
    </p>
  );
}

/** One section of the builder: a card with a heading (h2) and an optional hint. */
export function BuilderSection({
  id,
  title,
  description,
  children,
  className,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Card className={cn("gap-4", className)} aria-labelledby={id} role="region">
      <CardHeader>
        <CardTitle>
          <h2 id={id}>{title}</h2>
        </CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent className="grid gap-4">{children}</CardContent>
    </Card>
  );
}

/** `value`, settled: it follows after `delayMs` without changes (for queries typed into). */
export function useDebounced<T>(value: T, delayMs = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
