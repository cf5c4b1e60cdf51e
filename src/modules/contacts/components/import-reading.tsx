"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import {
  IMPORT_DELIMITERS,
  IMPORT_ENCODINGS,
  type ImportDetection,
  type PreviewOverride,
} from "../imports.schema";
import { useDetectionLabels } from "./import-format";

/**
 * The encoding and delimiter the file is read with, as the server sniffed them and as the
 * person may change them: a change reads the stored file again (`imports.reread`) and the
 * preview below follows.
 */
export function ImportReading({
  importId,
  detected,
  disabled,
}: {
  importId: string;
  detected: ImportDetection;
  disabled?: boolean;
}) {
  const t = useTranslations("imports.mapping");
  const labels = useDetectionLabels();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { errorMessage } = useErrorMessage();
  const reread = useMutation(
    trpc.imports.reread.mutationOptions({
      onSuccess: (next) => queryClient.setQueryData(trpc.imports.get.queryKey({ importId }), next),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const choose = (override: PreviewOverride) => reread.mutate({ importId, ...override });
  const busy = disabled || reread.isPending;
  const encodingLabel = (e: string) =>
    e === "utf16le" || e === "utf16be" ? t(`encoding_${e}`) : labels.encoding(e);

  return (
    <div className="flex flex-wrap items-end gap-4" aria-busy={reread.isPending}>
      <div className="grid gap-1.5">
        <Label htmlFor="import-encoding">{t("encodingLabel")}</Label>
        <Select
          value={detected.encoding}
          onValueChange={(v) => choose({ encoding: v as PreviewOverride["encoding"] })}
          disabled={busy}
        >
          <SelectTrigger id="import-encoding" className="w-64">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {IMPORT_ENCODINGS.map((e) => (
              <SelectItem key={e} value={e}>
                {encodingLabel(e)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="import-delimiter">{t("delimiterLabel")}</Label>
        <Select
          value={detected.delimiter}
          onValueChange={(v) => choose({ delimiter: v as PreviewOverride["delimiter"] })}
          disabled={busy}
        >
          <SelectTrigger id="import-delimiter" className="w-48">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {IMPORT_DELIMITERS.map((d) => (
              <SelectItem key={d} value={d}>
                {labels.delimiter(d)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {reread.isPending && (
        <p role="status" className="pb-2 text-sm text-muted-foreground">
          {t("rereading")}
        </p>
      )}
    </div>
  );
}
