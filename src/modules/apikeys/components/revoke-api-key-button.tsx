"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/shell/confirm-dialog";
import { Button } from "@/components/ui/button";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";

export function RevokeApiKeyButton({
  id,
  name,
  onRevoked,
}: {
  id: string;
  name: string;
  onRevoked: () => void;
}) {
  const { errorMessage } = useErrorMessage();
  const t = useTranslations("apikeys");
  const trpc = useTRPC();
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => (toast.success(t("revokedToast", { name })), onRevoked()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm" aria-label={`${t("revoke")} ${name}`}>
          {t("revoke")}
        </Button>
      }
      title={t("confirmRevokeTitle", { name })}
      description={t("confirmRevokeBody")}
      confirmLabel={t("revoke")}
      onConfirm={() => revoke.mutate({ id })}
    />
  );
}
