"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { formatPhone } from "@/lib/phone-format";
import { useTRPC } from "@/lib/trpc/client";
import { useDebounced } from "./builder-fields";

export type PreviewContact = { id: string; label: string } | null;

const SAMPLE = "__sample";

/** Whom the template previews render for: the sample contact, or one found by name or phone. */
export function ContactPicker({
  value,
  onChange,
}: {
  value: PreviewContact;
  onChange: (contact: PreviewContact) => void;
}) {
  const t = useTranslations("campaigns.builder");
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const term = useDebounced(search.trim(), 250);
  const contacts = useQuery({
    ...trpc.contacts.list.queryOptions({
      search: term || undefined,
      pageSize: 10,
      sort: "nombre",
      dir: "asc",
    }),
    placeholderData: keepPreviousData,
  });
  const options = (contacts.data?.rows ?? []).map((c) => ({
    id: c.id,
    label: [c.sustantivo, c.nombre].filter(Boolean).join(" ") || formatPhone(c.phone),
    phone: formatPhone(c.phone),
  }));
  const shown =
    value && !options.some((o) => o.id === value.id)
      ? [{ ...value, phone: "" }, ...options]
      : options;

  return (
    <div className="grid gap-2 rounded-lg border bg-muted/30 p-3 sm:grid-cols-[auto_1fr_1fr] sm:items-center">
      <Label htmlFor="builder-preview-as">{t("previewAs")}</Label>
      <div className="relative">
        <Search
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          aria-hidden
        />
        <Input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t("searchContact")}
          aria-label={t("searchContact")}
          className="pl-8"
          maxLength={100}
        />
      </div>
      <Select
        value={value?.id ?? SAMPLE}
        onValueChange={(id) =>
          onChange(id === SAMPLE ? null : (shown.find((o) => o.id === id) ?? null))
        }
      >
        <SelectTrigger id="builder-preview-as" className="w-full">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={SAMPLE}>{t("sampleContact")}</SelectItem>
          {shown.map((o) => (
            <SelectItem key={o.id} value={o.id}>
              {o.label}
              {o.phone && o.phone !== o.label && (
                <span className="text-muted-foreground"> · {o.phone}</span>
              )}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
