"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";

export function RemoveMemberButton({
  userId,
  name,
  onRemoved,
}: {
  userId: string;
  name: string;
  onRemoved: () => void;
}) {
  const t = useTranslations("team");
  const common = useTranslations("common");
  const trpc = useTRPC();
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: () => (toast.success(t("removed")), onRemoved()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`${common("remove")} ${name}`}>
          <Trash2 className="size-4" aria-hidden />
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{t("confirmRemoveTitle", { name })}</AlertDialogTitle>
          <AlertDialogDescription>{t("confirmRemoveBody")}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{common("cancel")}</AlertDialogCancel>
          <AlertDialogAction onClick={() => remove.mutate({ userId })}>
            {common("remove")}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
