"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";

/** Overlaps offered: how long the previous secret keeps working while agents switch over. */
const OVERLAPS = [0, 3600, 86_400, 7 * 86_400] as const;

/** Rotating an agent's secret: a new one is shown once, the old one lasts the chosen overlap. */
export function RotateAgentDialog({
  botName,
  open,
  onOpenChange,
  onConfirm,
}: {
  botName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: (overlapSeconds: number) => void;
}) {
  const t = useTranslations("bots.rotateAgent");
  const common = useTranslations("common");
  const id = useId();
  const [overlap, setOverlap] = useState<number>(3600);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={common("close")}>
        <DialogHeader>
          <DialogTitle>{t("title", { name: botName })}</DialogTitle>
          <DialogDescription>{t("body")}</DialogDescription>
        </DialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor={id}>{t("overlap")}</Label>
          <select
            id={id}
            className="h-9 rounded-md border bg-transparent px-3 text-sm"
            value={overlap}
            onChange={(e) => setOverlap(Number(e.target.value))}
          >
            {OVERLAPS.map((s) => (
              <option key={s} value={s}>
                {t(`overlaps.s${s}`)}
              </option>
            ))}
          </select>
        </div>
        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            {common("cancel")}
          </Button>
          <Button type="button" onClick={() => onConfirm(overlap)}>
            {t("confirm")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
