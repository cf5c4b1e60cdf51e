"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/lib/trpc/client";
import type { CampaignDefinitionInput } from "../campaigns.schema";
import type { CampaignSchedule } from "../campaign-definition";
import { useWallClockText } from "./schedule-text";

/** "Launch …?": how many messages go out through how many bots, and when. */
export function LaunchDialog({
  campaign,
  pending,
  onOpenChange,
  onConfirm,
}: {
  campaign: CampaignDefinitionInput & { name: string; schedule: CampaignSchedule };
  pending: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
}) {
  const t = useTranslations("campaigns.actions");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const wallClock = useWallClockText();
  const { audience, templates, botIds, cooloffDays, cooloffReason, schedule } = campaign;
  const preview = useQuery(
    trpc.campaigns.preview.queryOptions({
      audience,
      templates,
      botIds,
      cooloffDays,
      cooloffReason,
    }),
  );
  return (
    <AlertDialog open onOpenChange={onOpenChange}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{t("launchTitle", { name: campaign.name })}</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div className="grid gap-2">
              {preview.data ? (
                <p>{t("launchBodyNow", { count: preview.data.willSend, bots: botIds.length })}</p>
              ) : preview.isError ? null : (
                <Skeleton className="h-4 w-64" />
              )}
              {schedule.type === "at" && (
                <p>{t("launchBodyAt", { date: wallClock(schedule.at) })}</p>
              )}
              {schedule.type === "cron" && <p>{t("launchBodyCron", { cron: schedule.cron })}</p>}
            </div>
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{common("cancel")}</AlertDialogCancel>
          <AlertDialogAction disabled={pending} onClick={onConfirm}>
            {t("launchConfirm")}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
