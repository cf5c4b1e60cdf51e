"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { useErrorMessage } from "@/lib/trpc/error-message";
import { useTRPC } from "@/lib/trpc/client";

/** How long the toast offers Undo; the server accepts it for a while longer (60 s). */
const UNDO_TOAST_MS = 8000;

/**
 * The success toast of a delete or an opt-out, with an Undo button for a few seconds that
 * really restores: the deleted contact comes back from the trash, the opt-out is lifted as if
 * it had not happened (contacts-undo.service.ts).
 */
export function useUndoToast(onUndone: () => void) {
  const t = useTranslations("contacts.undo");
  const trpc = useTRPC();
  const { errorMessage } = useErrorMessage();
  const settled = (message: string) => ({
    onSuccess: () => (toast.success(message), onUndone()),
    onError: (err: unknown) => toast.error(errorMessage(err)),
  });
  const restore = useMutation(trpc.contacts.restore.mutationOptions(settled(t("restored"))));
  const undoOptOut = useMutation(
    trpc.contacts.undoOptOut.mutationOptions(settled(t("optOutUndone"))),
  );
  const offer = (message: string, undo: () => void) =>
    toast.success(message, {
      duration: UNDO_TOAST_MS,
      action: { label: t("action"), onClick: undo },
    });
  return {
    deleted: (message: string, id: string) => offer(message, () => restore.mutate({ id })),
    optedOut: (message: string, id: string) => offer(message, () => undoOptOut.mutate({ id })),
  };
}
