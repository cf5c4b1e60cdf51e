"use client";

import { useQueryClient } from "@tanstack/react-query";
import { AlertCircle, Download, FileUp, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/client";
import { cn } from "@/lib/utils";
import { ProgressBar } from "@/components/ui/progress-bar";
import { importViewFromJson, useFormatBytes } from "./import-format";

const UPLOAD_URL = "/api/contacts/imports";
const SAMPLE_URL = "/api/contacts/imports/sample";
const KNOWN_ERROR_STATUSES = new Set([400, 401, 403, 413, 415, 429, 503]);

type Phase = "idle" | "uploading" | "analyzing";
type UploadError = { title: string; message: string; fileName?: string; requestId?: string };

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Step 1: a drop zone that is also a button opening the file picker. The upload goes through
 * XMLHttpRequest (fetch cannot report upload progress) so it shows bytes sent and can be
 * aborted; the server answers with the detected layout and we move on to the mapping step.
 */
export function ImportUpload({ maxBytes }: { maxBytes: number }) {
  const t = useTranslations("imports.upload");
  const { errorRefText } = useErrorMessage();
  const formatBytes = useFormatBytes();
  const router = useRouter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputRef = useRef<HTMLInputElement>(null);
  const zoneRef = useRef<HTMLButtonElement>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<UploadError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Abort an upload still in flight when the user navigates away.
  useEffect(() => () => xhrRef.current?.abort(), []);

  // A file dropped outside the zone would make the browser open it and leave the page.
  useEffect(() => {
    const block = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
    };
    window.addEventListener("dragover", block);
    window.addEventListener("drop", block);
    return () => {
      window.removeEventListener("dragover", block);
      window.removeEventListener("drop", block);
    };
  }, []);

  const backToIdle = () => {
    xhrRef.current = null;
    setPhase("idle");
    // The progress panel (and its cancel button) is gone: put focus back on the drop zone.
    requestAnimationFrame(() => zoneRef.current?.focus());
  };

  const upload = (chosen: File) => {
    setError(null);
    setNotice(null);
    if (chosen.size > maxBytes) {
      setError({
        title: t("error_413"),
        message: t("tooLarge", {
          name: chosen.name,
          size: formatBytes(chosen.size),
          max: formatBytes(maxBytes),
        }),
        fileName: chosen.name,
      });
      return;
    }
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", UPLOAD_URL);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      setSent(Math.min(e.loaded, chosen.size));
      if (e.loaded >= e.total) setPhase("analyzing");
    };
    xhr.upload.onload = () => setPhase("analyzing");
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status === 201 && body && typeof body.id === "string") {
        const view = importViewFromJson(body);
        queryClient.setQueryData(trpc.imports.get.queryKey({ importId: view.id }), view);
        void queryClient.invalidateQueries({ queryKey: trpc.imports.list.queryKey() });
        router.push(`/contacts/import/${view.id}`);
        return;
      }
      const err = (body?.error ?? null) as {
        key?: string;
        params?: Record<string, string | number>;
        message?: string;
        requestId?: string;
      } | null;
      const kind = KNOWN_ERROR_STATUSES.has(xhr.status) ? String(xhr.status) : "other";
      setError({
        title: t(`error_${kind}`),
        message: err?.key
          ? errorRefText({ key: err.key, params: err.params })
          : (err?.message ?? `HTTP ${xhr.status}`),
        fileName: chosen.name,
        // Expected refusals explain themselves; the id is for reporting unexpected failures.
        requestId: kind === "other" ? err?.requestId : undefined,
      });
      backToIdle();
    };
    xhr.onerror = () => {
      setError({ title: t("error_other"), message: t("networkError"), fileName: chosen.name });
      backToIdle();
    };
    xhr.onabort = () => {
      setNotice(t("canceled"));
      backToIdle();
    };
    const form = new FormData();
    form.append("file", chosen, chosen.name);
    setFile(chosen);
    setSent(0);
    setPhase("uploading");
    xhr.send(form);
  };

  const onDrop = (e: DragEvent<HTMLButtonElement>) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped && phase === "idle") upload(dropped);
  };

  const busy = phase !== "idle";
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>{t("title")}</h2>
        </CardTitle>
        <CardDescription>{t("description", { max: formatBytes(maxBytes) })}</CardDescription>
        <p className="text-sm">
          <a
            href={SAMPLE_URL}
            download
            aria-describedby="import-sample-hint"
            className="inline-flex items-center gap-1 font-medium underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none"
          >
            <Download className="size-3.5" aria-hidden />
            {t("sample")}
          </a>{" "}
          <span id="import-sample-hint" className="text-muted-foreground">
            {t("sampleHint")}
          </span>
        </p>
      </CardHeader>
      <CardContent className="space-y-4">
        <input
          ref={inputRef}
          type="file"
          accept=".csv,.txt,text/csv"
          aria-label={t("fileInput")}
          tabIndex={-1}
          className="sr-only"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            e.target.value = "";
            if (chosen) upload(chosen);
          }}
        />
        {!busy && (
          <button
            ref={zoneRef}
            type="button"
            onClick={() => inputRef.current?.click()}
            onDragEnter={(e) => (e.preventDefault(), setDragging(true))}
            onDragOver={(e) => (e.preventDefault(), (e.dataTransfer.dropEffect = "copy"))}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            aria-describedby="import-drop-hint"
            className={cn(
              "flex w-full flex-col items-center justify-center gap-3 rounded-lg border-2 border-dashed px-6 py-10 text-center transition-colors outline-none",
              "hover:border-foreground/40 hover:bg-muted/40 focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50",
              dragging && "border-primary bg-muted/60",
            )}
          >
            <span
              aria-hidden
              className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground"
            >
              {dragging ? <FileUp className="size-6" /> : <Upload className="size-6" />}
            </span>
            <span className="text-sm font-medium">{dragging ? t("dropActive") : t("drop")}</span>
            <span id="import-drop-hint" className="text-xs text-muted-foreground">
              {t("dropHint")}
            </span>
          </button>
        )}
        {busy && file && (
          <div className="space-y-3 rounded-lg border p-4" aria-busy>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="min-w-0">
                <p className="truncate font-medium">{file.name}</p>
                <p className="text-sm text-muted-foreground" aria-live="polite">
                  {formatBytes(file.size)} ·{" "}
                  {phase === "uploading" ? t("uploading") : t("analyzing")}
                </p>
              </div>
              {phase === "uploading" && (
                <Button type="button" variant="outline" onClick={() => xhrRef.current?.abort()}>
                  {t("cancel")}
                </Button>
              )}
            </div>
            <ProgressBar
              value={phase === "analyzing" ? undefined : (sent / Math.max(file.size, 1)) * 100}
              label={t("progress")}
              valueText={t("progressValue", {
                sent: formatBytes(sent),
                total: formatBytes(file.size),
              })}
            />
            <p className="text-xs text-muted-foreground tabular-nums">
              {t("progressValue", { sent: formatBytes(sent), total: formatBytes(file.size) })}
            </p>
          </div>
        )}
        {notice && (
          <p role="status" className="text-sm text-muted-foreground">
            {notice}
          </p>
        )}
        {error && (
          <div
            role="alert"
            className="flex gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4 text-sm"
          >
            <AlertCircle className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
            <div className="min-w-0 space-y-1">
              <p className="font-medium text-destructive">
                {error.title}
                {error.fileName && (
                  <span className="font-normal text-foreground"> — {error.fileName}</span>
                )}
              </p>
              <p>{error.message}</p>
              {error.requestId && (
                <p className="text-xs text-muted-foreground">
                  {t("requestId", { id: error.requestId })}
                </p>
              )}
              <p className="text-muted-foreground">{t("tryAgain")}</p>
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
