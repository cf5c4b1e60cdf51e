"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { cn } from "@/lib/utils";

/** Heard from within this long (heartbeat, pull, event): online. Same as agents.service. */
const ONLINE_WINDOW_MS = 60_000;

/** An agent bot's presence from its last contact: online, offline, or never connected. */
export function AgentPresence({ lastSeenAt }: { lastSeenAt: Date | null }) {
  const t = useTranslations("bots.presence");
  const format = useFormatter();
  const now = useNow({ updateInterval: 10_000 });
  if (!lastSeenAt) return <span className="text-xs text-muted-foreground">{t("never")}</span>;
  const online = now.getTime() - lastSeenAt.getTime() < ONLINE_WINDOW_MS;
  const seen = format.relativeTime(lastSeenAt, now);
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground">
      <span
        aria-hidden
        className={cn("size-1.5 rounded-full", online ? "bg-success" : "bg-muted-foreground")}
      />
      {online ? t("online", { seen }) : t("offline", { seen })}
    </span>
  );
}
