"use client";

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import type { TaskView } from "../tasks.schema";

const TONE: Record<TaskView["status"], string> = {
  PENDING: "bg-muted text-foreground",
  LEASED: "bg-sky-100 text-sky-950 dark:bg-sky-950 dark:text-sky-100",
  RUNNING: "bg-blue-100 text-blue-950 dark:bg-blue-950 dark:text-blue-100",
  SUCCEEDED: "bg-green-100 text-green-950 dark:bg-green-950 dark:text-green-100",
  FAILED: "bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100",
  CANCELED: "bg-muted text-muted-foreground",
  TIMED_OUT: "bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100",
};

export function TaskStatusBadge({ status }: { status: TaskView["status"] }) {
  const t = useTranslations("tasks.status");
  return (
    <Badge variant="outline" className={cn("border-transparent", TONE[status])}>
      {t(status)}
    </Badge>
  );
}
