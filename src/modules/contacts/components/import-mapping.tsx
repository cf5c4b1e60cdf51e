"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMemo, useRef, useState, type Ref } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import type { ImportDetection, ImportView } from "../imports.schema";
import { useFormatBytes } from "./import-format";
import { ImportModePicker, type ImportModeChoice } from "./import-mode";
import { ImportReading } from "./import-reading";
import {
  CHOICES,
  columnFromTarget,
  findProblems,
  foldKey,
  targetFromColumn,
  type Choice,
  type Column,
} from "./import-mapping-rules";

const MAX_SAMPLE_ROWS = 6;

/**
 * Step 2: what the server detected (encoding, delimiter, header row, proposed mapping) as an
 * editable preview: one table column per file column with its target and the sample rows.
 */
export function ImportMapping({
  view,
  canWrite,
  headingRef,
}: {
  view: ImportView & { detected: ImportDetection };
  canWrite: boolean;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("imports.mapping");
  const formatBytes = useFormatBytes();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { detected } = view;
  const problemsRef = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<ImportModeChoice>("upsert");

  // Every row we have, header included, so toggling "first row is header" can move it.
  const rawRows = useMemo(
    () => (detected.hasHeader ? [detected.headers, ...detected.sample] : detected.sample),
    [detected],
  );
  const columnCount = Math.max(1, detected.mapping.length, ...rawRows.map((r) => r.length));
  const [hasHeader, setHasHeader] = useState(detected.hasHeader);
  const [columns, setColumns] = useState<Column[]>(() =>
    Array.from({ length: columnCount }, (_, i) => columnFromTarget(detected.mapping[i])),
  );
  const [dryRun, setDryRun] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  // Read again with another encoding or delimiter: the columns start over from the new reading.
  const [readFrom, setReadFrom] = useState(detected);
  if (readFrom !== detected) {
    setReadFrom(detected);
    setHasHeader(detected.hasHeader);
    setColumns(
      Array.from({ length: columnCount }, (_, i) => columnFromTarget(detected.mapping[i])),
    );
  }

  const headerCells = hasHeader ? (rawRows[0] ?? []) : [];
  const sampleRows = (hasHeader ? rawRows.slice(1) : rawRows).slice(0, MAX_SAMPLE_ROWS);
  const headerText = (i: number) => (headerCells[i] ?? "").trim();
  const columnTitle = (i: number) => headerText(i) || t("column", { n: i + 1 });

  const problems = findProblems(columns, columnTitle, t);
  // Only a header row: the records counted at upload say so (older uploads: the preview).
  const dataRows =
    detected.records != null ? detected.records - (hasHeader ? 1 : 0) : sampleRows.length;
  const noRows = dataRows <= 0;
  const badColumns = new Set(problems.flatMap((p) => p.columns));

  const setChoice = (i: number, choice: Choice) =>
    setColumns((cols) =>
      cols.map((c, j) =>
        j !== i
          ? c
          : { choice, key: choice === "attribute" ? c.key || foldKey(headerText(i), i) : c.key },
      ),
    );
  const setKey = (i: number, key: string) =>
    setColumns((cols) => cols.map((c, j) => (j === i ? { ...c, key } : c)));

  const start = useMutation(
    trpc.imports.start.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.imports.get.queryKey({ importId: next.id }), next);
        void queryClient.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
      },
      onError: (err) => setStartError(errorMessage(err)),
    }),
  );
  const discard = useMutation(
    trpc.imports.cancel.mutationOptions({
      onError: (err) => toast.error(errorMessage(err)),
      onSettled: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
        router.push("/contacts/import");
      },
    }),
  );

  const submit = () => {
    setStartError(null);
    if (problems.length > 0) {
      problemsRef.current?.focus();
      return;
    }
    start.mutate({
      importId: view.id,
      mapping: columns.map(targetFromColumn),
      hasHeader,
      dryRun,
      mode,
    });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 ref={headingRef} tabIndex={-1} className="outline-none">
            {t("title")}
          </h2>
        </CardTitle>
        <CardDescription>
          {t("description", { file: view.fileName, size: formatBytes(view.fileSize) })}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <div className="flex flex-wrap items-center gap-x-8 gap-y-3">
          <ImportReading importId={view.id} detected={detected} disabled={!canWrite} />
          <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
            <div className="flex gap-2">
              <dt className="text-muted-foreground">{t("columns")}:</dt>
              <dd className="font-medium tabular-nums">{columnCount}</dd>
            </div>
          </dl>
          <Label className="font-normal">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={hasHeader}
              onChange={(e) => setHasHeader(e.target.checked)}
            />
            {t("hasHeader")}
          </Label>
        </div>

        <div className="rounded-lg border">
          <Table>
            <TableCaption className="mt-0 border-t py-2">
              {sampleRows.length > 0
                ? t("sampleCaption", { count: sampleRows.length })
                : t("noSample")}
            </TableCaption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                {columns.map((column, i) => (
                  <TableHead
                    key={i}
                    scope="col"
                    className="h-auto min-w-48 py-3 align-top whitespace-normal"
                  >
                    <div className="space-y-2">
                      <div
                        className={cn(
                          "truncate",
                          !headerText(i) && "font-normal text-muted-foreground",
                        )}
                        title={columnTitle(i)}
                      >
                        {columnTitle(i)}
                      </div>
                      <Select
                        value={column.choice}
                        onValueChange={(v) => setChoice(i, v as Choice)}
                        disabled={!canWrite}
                      >
                        <SelectTrigger
                          className="w-full"
                          aria-label={t("selectLabel", { column: columnTitle(i) })}
                          aria-invalid={
                            badColumns.has(i) && column.choice !== "attribute" ? true : undefined
                          }
                        >
                          <SelectValue />
                        </SelectTrigger>
                        <SelectContent>
                          {CHOICES.map((choice) => (
                            <SelectItem key={choice} value={choice}>
                              {t(`target_${choice}`)}
                            </SelectItem>
                          ))}
                        </SelectContent>
                      </Select>
                      {column.choice === "attribute" && (
                        <Input
                          value={column.key}
                          onChange={(e) => setKey(i, e.target.value)}
                          aria-label={t("keyLabel", { column: columnTitle(i) })}
                          aria-invalid={badColumns.has(i) ? true : undefined}
                          placeholder={t("keyPlaceholder")}
                          maxLength={40}
                          spellCheck={false}
                          autoCapitalize="off"
                          disabled={!canWrite}
                          className="h-8 font-mono text-xs"
                        />
                      )}
                    </div>
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {sampleRows.map((row, r) => (
                <TableRow key={r}>
                  {columns.map((column, i) => {
                    const cell = row[i] ?? "";
                    return (
                      <TableCell
                        key={i}
                        title={cell}
                        className={cn(
                          "max-w-64 truncate",
                          column.choice === "ignore" &&
                            "text-muted-foreground line-through decoration-muted-foreground/50",
                        )}
                      >
                        {cell || <span className="text-muted-foreground italic">{t("empty")}</span>}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>

        {problems.length > 0 && (
          <div
            ref={problemsRef}
            tabIndex={-1}
            role="alert"
            className="flex gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm outline-none focus-visible:ring-[3px] focus-visible:ring-destructive/30"
          >
            <AlertCircle className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
            <div>
              <p className="font-medium text-destructive">{t("errorsTitle")}</p>
              <ul className="mt-1 list-disc space-y-0.5 pl-4">
                {problems.map((p) => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            </div>
          </div>
        )}

        {canWrite && <ImportModePicker value={mode} onChange={setMode} />}

        {noRows && (
          <p id="import-no-rows" role="note" className="text-sm font-medium text-destructive">
            {t("noRows")}
          </p>
        )}

        {canWrite && (
          <div className="flex flex-wrap items-end justify-between gap-4 border-t pt-5">
            <div className="grid gap-1">
              <Label className="font-normal">
                <input
                  type="checkbox"
                  className="size-4 accent-primary"
                  checked={dryRun}
                  onChange={(e) => setDryRun(e.target.checked)}
                  aria-describedby="import-dry-run-hint"
                />
                {t("dryRun")}
              </Label>
              <p id="import-dry-run-hint" className="pl-6 text-xs text-muted-foreground">
                {t("dryRunHint")}
              </p>
            </div>
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                variant="ghost"
                onClick={() => discard.mutate({ importId: view.id })}
                disabled={start.isPending || discard.isPending}
              >
                {t("discard")}
              </Button>
              <Button
                type="button"
                onClick={submit}
                disabled={noRows || start.isPending || discard.isPending}
                aria-describedby={noRows ? "import-no-rows" : undefined}
              >
                {start.isPending ? t("starting") : t("start")}
              </Button>
            </div>
          </div>
        )}
        {startError && (
          <p role="alert" className="text-sm text-destructive">
            {startError}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
