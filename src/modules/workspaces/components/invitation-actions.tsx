"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setPreferenceCookie } from "@/lib/browser-cookie";
import { useTRPC } from "@/lib/trpc/client";
import { WORKSPACE_COOKIE } from "@/lib/workspace-cookie";

/** Accept (or, once accepted, open) the invited workspace, then land in it. */
export function InvitationActions({
  token,
  workspaceId,
  workspaceName,
  accepted,
}: {
  token: string;
  workspaceId: string;
  workspaceName: string;
  accepted: boolean;
}) {
  const t = useTranslations("invitations");
  const trpc = useTRPC();
  const router = useRouter();
  const open = (id: string) => {
    setPreferenceCookie(WORKSPACE_COOKIE, id);
    router.push("/dashboard");
    router.refresh();
  };
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: (res) => {
        toast.success(t("joined", { workspace: workspaceName }));
        open(res.workspaceId);
      },
      // The page re-reads the invitation and says what changed (revoked, expired…).
      onError: () => (toast.error(t("acceptFailed")), router.refresh()),
    }),
  );
  if (accepted) {
    return (
      <Button className="w-full" onClick={() => open(workspaceId)}>
        {t("open")}
      </Button>
    );
  }
  return (
    <Button
      className="w-full"
      disabled={accept.isPending || accept.isSuccess}
      onClick={() => accept.mutate({ token })}
    >
      {accept.isPending ? t("accepting") : t("accept")}
    </Button>
  );
}
