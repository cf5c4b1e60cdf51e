"use client";

import { Check, Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** Shows a new key's secret, the only time it is ever visible. */
export function NewKeyDialog({
  created,
  onClose,
}: {
  created: { name: string; secret: string } | null;
  onClose: () => void;
}) {
  const t = useTranslations("apikeys");
  const common = useTranslations("common");
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
  };
  const close = () => {
    setCopied(false);
    onClose();
  };

  return (
    <Dialog open={!!created} onOpenChange={(open) => !open && close()}>
      <DialogContent closeLabel={common("close")}>
        <DialogHeader>
          <DialogTitle>{t("secretTitle", { name: created?.name ?? "" })}</DialogTitle>
          <DialogDescription>{t("secretBody")}</DialogDescription>
        </DialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor="api-key-secret">{t("secretLabel")}</Label>
          <div className="flex gap-2">
            <Input
              id="api-key-secret"
              readOnly
              value={created?.secret ?? ""}
              className="font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button type="button" variant="outline" onClick={copy} aria-label={t("copy")}>
              {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
              {copied ? t("copiedShort") : t("copy")}
            </Button>
          </div>
        </div>
        <DialogFooter>
          <Button type="button" onClick={close}>
            {t("done")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
