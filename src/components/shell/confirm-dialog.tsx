"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
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

type Props = {
  title: string;
  description: string;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
} & (
  | {
      /** Controlled: the caller opens it. */ open: boolean;
      onOpenChange: (open: boolean) => void;
      trigger?: never;
    }
  | {
      /** Uncontrolled: this element opens it. */ trigger: ReactNode;
      open?: never;
      onOpenChange?: never;
    }
);

/** The one "are you sure?" for destructive actions, controlled or with its own trigger. */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  cancelLabel,
  onConfirm,
  ...mode
}: Props) {
  const common = useTranslations("common");
  return (
    <AlertDialog {...(mode.trigger ? {} : { open: mode.open, onOpenChange: mode.onOpenChange })}>
      {mode.trigger && <AlertDialogTrigger asChild>{mode.trigger}</AlertDialogTrigger>}
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{cancelLabel ?? common("cancel")}</AlertDialogCancel>
          <AlertDialogAction variant="destructive" onClick={onConfirm}>
            {confirmLabel}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
