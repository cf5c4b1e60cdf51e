"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Button } from "@/components/ui/button";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";

export function RemoveMemberButton({
  userId,
  name,
  ssoGroup,
  onRemoved,
}: {
  userId: string;
  name: string;
  /** Set for memberships SSO manages: those end in Keycloak, not here. */
  ssoGroup: string | null;
  onRemoved: () => void;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("team");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: () => (toast.success(t("removed")), onRemoved()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  if (ssoGroup) {
    return (
      <span className="text-xs text-muted-foreground">{t("ssoManaged", { group: ssoGroup })}</span>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="icon" aria-label={`${common("remove")} ${name}`}>
          <Trash2 className="size-4" aria-hidden />
        </Button>
      }
      title={t("confirmRemoveTitle", { name })}
      description={t("confirmRemoveBody")}
      confirmLabel={common("remove")}
      onConfirm={() => remove.mutate({ userId })}
    />
  );
}
