import type { LogView } from "../tasks.schema";

/** Text colour of a log line by its level, readable in light and dark themes. */
export const LEVEL_TONE: Record<LogView["level"], string> = {
  debug: "text-muted-foreground",
  info: "text-sky-700 dark:text-sky-300",
  warn: "text-amber-700 dark:text-amber-300",
  error: "text-red-700 dark:text-red-300",
};
