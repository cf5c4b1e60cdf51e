"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { Copy, Pause, Play } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useId, useState } from "react";
import { toast } from "sonner";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { cn } from "@/lib/utils";
import { LOG_LEVELS, type LogView } from "../tasks.schema";
import { LEVEL_TONE } from "./log-level-tone";

const MAX_LIVE = 500;
const selectClass = "h-9 rounded-md border bg-transparent px-3 text-sm";

type Cursor = { occurredAt: Date; id: number };

/** The Logs page: a live stream (pausable) over paginated history, with search and filters. */
export function LogsView({ initialBotId = "" }: { initialBotId?: string }) {
  const t = useTranslations("logs");
  const common = useTranslations("common");
  const format = useFormatter();
  const { errorMessage } = useErrorMessage();
  const trpc = useTRPC();
  const id = useId();
  const [botId, setBotId] = useState(initialBotId);
  const [level, setLevel] = useState<LogView["level"] | "">("");
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [paused, setPaused] = useState(false);
  const [live, setLive] = useState<LogView[]>([]);
  const [cursors, setCursors] = useState<Cursor[]>([]);

  const filters = {
    botId: botId || undefined,
    levels: level ? [level] : undefined,
    q: q || undefined,
  };
  const bots = useQuery(trpc.bots.list.queryOptions({ page: 1, pageSize: 100 }));
  const names = new Map((bots.data?.rows ?? []).map((b) => [b.id, b.name]));
  const history = useQuery({
    ...trpc.logs.list.queryOptions({ ...filters, cursor: cursors.at(-1), limit: 100 }),
    placeholderData: keepPreviousData,
  });
  const stream = useSubscription(
    trpc.logs.stream.subscriptionOptions(filters, {
      enabled: !paused && cursors.length === 0,
      onData: (rows) => setLive((prev) => [...rows.reverse(), ...prev].slice(0, MAX_LIVE)),
    }),
  );
  const reset = () => (setLive([]), setCursors([]));
  const seen = new Set(live.map((l) => l.id));
  const rows = [
    ...(cursors.length === 0 ? live : []),
    ...(history.data?.rows ?? []).filter((r) => !seen.has(r.id)),
  ];

  const copy = async (line: LogView) => {
    try {
      await navigator.clipboard.writeText(line.message);
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Button variant="outline" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
            {paused ? <Play aria-hidden /> : <Pause aria-hidden />}
            {paused ? t("resume") : t("pause")}
          </Button>
        }
      />
      <Card>
        <CardContent className="space-y-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid gap-1">
              <Label htmlFor={`${id}-q`}>{common("search")}</Label>
              <Input
                id={`${id}-q`}
                type="search"
                value={search}
                onChange={(e) => (setSearch(e.target.value), reset())}
                placeholder={t("searchPlaceholder")}
              />
            </div>
            <div className="grid gap-1">
              <Label htmlFor={`${id}-level`}>{t("level")}</Label>
              <select
                id={`${id}-level`}
                className={selectClass}
                value={level}
                onChange={(e) => (setLevel(e.target.value as LogView["level"] | ""), reset())}
              >
                <option value="">{common("all")}</option>
                {LOG_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`levels.${l}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid gap-1">
              <Label htmlFor={`${id}-bot`}>{t("bot")}</Label>
              <select
                id={`${id}-bot`}
                className={selectClass}
                value={botId}
                onChange={(e) => (setBotId(e.target.value), reset())}
              >
                <option value="">{common("all")}</option>
                {(bots.data?.rows ?? []).map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </div>
            <p className="ml-auto text-xs text-muted-foreground" aria-live="polite">
              {paused || cursors.length > 0
                ? t("streamPaused")
                : stream.status === "pending"
                  ? t("streamLive")
                  : stream.status === "error"
                    ? t("streamLost")
                    : t("streamConnecting")}
            </p>
          </div>
          {history.isError && (
            <p role="alert" className="text-sm text-destructive">
              {errorMessage(history.error)}
            </p>
          )}
          <ol className="divide-y rounded-md border font-mono text-xs" aria-label={t("title")}>
            {/* Nothing read is not "nothing matches": a failed read says so above, alone. */}
            {rows.length === 0 && !history.isError && (
              <li className="p-6 text-center font-sans text-sm text-muted-foreground">
                {history.isPending ? common("loading") : t("empty")}
              </li>
            )}
            {rows.map((line) => (
              <li
                key={line.id}
                className="flex items-start gap-2 px-3 py-1.5"
                data-level={line.level}
              >
                <time
                  className="shrink-0 text-muted-foreground"
                  dateTime={line.occurredAt.toISOString()}
                >
                  {format.dateTime(line.occurredAt, { dateStyle: "short", timeStyle: "medium" })}
                </time>
                <span
                  className={cn("w-12 shrink-0 font-semibold uppercase", LEVEL_TONE[line.level])}
                >
                  {line.level}
                </span>
                <span className="w-28 shrink-0 truncate text-muted-foreground">
                  {line.botId ? (names.get(line.botId) ?? line.botId.slice(0, 8)) : "—"}
                </span>
                <span className="min-w-0 flex-1 break-words whitespace-pre-wrap">
                  {line.message}
                </span>
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-6 shrink-0"
                  onClick={() => void copy(line)}
                  aria-label={t("copy")}
                >
                  <Copy className="size-3" aria-hidden />
                </Button>
              </li>
            ))}
          </ol>
          <div className="flex justify-end gap-2">
            <Button
              variant="outline"
              size="sm"
              disabled={cursors.length === 0}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              {t("newer")}
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={!history.data?.nextCursor}
              onClick={() =>
                history.data?.nextCursor && setCursors((c) => [...c, history.data.nextCursor!])
              }
            >
              {t("older")}
            </Button>
          </div>
        </CardContent>
      </Card>
    </>
  );
}
