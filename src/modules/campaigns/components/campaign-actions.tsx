"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, Pause, Pencil, Play, Rocket, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { CampaignView } from "../campaigns.schema";
import { LaunchDialog } from "./launch-dialog";

type Confirm = null | "cancel" | "delete" | "launch";

/** What a person may do with the campaign in its status: edit/launch/delete a draft, pause, resume, cancel. */
export function CampaignActions({ campaign }: { campaign: CampaignView }) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("campaigns.actions");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirm, setConfirm] = useState<Confirm>(null);
  const id = campaign.id;

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.campaigns.pathKey() });
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const settled = (message: string) => () => (
    toast.success(message),
    setConfirm(null),
    void refresh()
  );
  const pause = useMutation(
    trpc.campaigns.pause.mutationOptions({ onSuccess: settled(t("paused")), onError }),
  );
  const resume = useMutation(
    trpc.campaigns.resume.mutationOptions({ onSuccess: settled(t("resumed")), onError }),
  );
  const cancel = useMutation(
    trpc.campaigns.cancel.mutationOptions({ onSuccess: settled(t("canceled")), onError }),
  );
  const remove = useMutation(
    trpc.campaigns.delete.mutationOptions({
      onSuccess: () => (toast.success(t("deleted")), router.push("/campaigns"), void refresh()),
      onError,
    }),
  );
  const launch = useMutation(
    trpc.campaigns.launch.mutationOptions({
      onSuccess: (c) => settled(c.status === "scheduled" ? t("scheduled") : t("launched"))(),
      onError,
    }),
  );
  const busy =
    pause.isPending || resume.isPending || cancel.isPending || launch.isPending || remove.isPending;
  const s = campaign.status;

  return (
    <div className="flex flex-wrap gap-2">
      {s === "draft" && (
        <>
          <Button variant="outline" asChild>
            <Link href={`/campaigns/${id}/edit`}>
              <Pencil aria-hidden />
              {t("edit")}
            </Link>
          </Button>
          <Button variant="outline" onClick={() => setConfirm("delete")} disabled={busy}>
            <Trash2 aria-hidden />
            {t("delete")}
          </Button>
          <Button onClick={() => setConfirm("launch")} disabled={busy}>
            <Rocket aria-hidden />
            {t("launch")}
          </Button>
        </>
      )}
      {s === "running" && (
        <Button variant="outline" onClick={() => pause.mutate({ id })} disabled={busy}>
          <Pause aria-hidden />
          {t("pause")}
        </Button>
      )}
      {s === "paused" && (
        <Button onClick={() => resume.mutate({ id })} disabled={busy}>
          <Play aria-hidden />
          {t("resume")}
        </Button>
      )}
      {(s === "scheduled" || s === "running" || s === "paused") && (
        <Button variant="outline" onClick={() => setConfirm("cancel")} disabled={busy}>
          <Ban aria-hidden />
          {t("cancel")}
        </Button>
      )}

      <ConfirmDialog
        open={confirm === "cancel"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={t("cancelTitle", { name: campaign.name })}
        description={t("cancelBody")}
        confirmLabel={t("cancelConfirm")}
        cancelLabel={t("keep")}
        onConfirm={() => cancel.mutate({ id })}
      />
      <ConfirmDialog
        open={confirm === "delete"}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={t("deleteTitle", { name: campaign.name })}
        description={t("deleteBody")}
        confirmLabel={t("deleteConfirm")}
        onConfirm={() => remove.mutate({ id })}
      />
      {confirm === "launch" && (
        <LaunchDialog
          campaign={campaign}
          pending={launch.isPending}
          onOpenChange={(open) => !open && setConfirm(null)}
          onConfirm={() => launch.mutate({ id })}
        />
      )}
    </div>
  );
}
