"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/lib/trpc/client";
import type { BulkRunView } from "../contacts.schema";

const POLL_MS = 1000;
const finished = (run: BulkRunView | undefined) =>
  run?.status === "completed" || run?.status === "failed";

/** A bulk action over every match, as it runs on the server: polled until it ends. */
export function BulkRunProgress({
  runId,
  onEnd,
}: {
  runId: string;
  onEnd: (run: BulkRunView) => void;
}) {
  const t = useTranslations("contacts.bulk");
  const format = useFormatter();
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.contacts.bulkRun.queryOptions({ id: runId }),
    refetchInterval: (q) => (finished(q.state.data) ? false : POLL_MS),
  });
  const ended = useRef(false);
  useEffect(() => {
    if (!ended.current && run.data && finished(run.data)) {
      ended.current = true;
      onEnd(run.data);
    }
  }, [run.data, onEnd]);
  const processed = run.data?.processed ?? 0;
  const expected = run.data?.expected ?? 0;
  return (
    <div className="grid w-full gap-1.5" aria-live="polite">
      <p className="text-sm">
        {t("running", {
          processed: format.number(processed),
          expected: expected ? format.number(expected) : 0,
        })}
      </p>
      <ProgressBar
        label={t("progressLabel")}
        value={
          run.data?.status === "queued" || !expected ? undefined : (processed / expected) * 100
        }
        valueText={`${processed} / ${expected}`}
      />
    </div>
  );
}
