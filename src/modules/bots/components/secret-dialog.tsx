"use client";

import { Copy, KeyRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId } from "react";
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

/**
 * A generated secret, shown once (after create or rotate) with a copy button. An agent's
 * secret comes with the bot id it authenticates with.
 */
export function SecretDialog({
  secret,
  botName,
  agentId = null,
  onClose,
}: {
  secret: string | null;
  botName: string;
  agentId?: string | null;
  onClose: () => void;
}) {
  const t = useTranslations("bots.secret");
  const common = useTranslations("common");
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? "");
      toast.success(t("copied"));
    } catch {
      toast.error(t("copyFailed"));
    }
  };
  return (
    <Dialog open={!!secret} onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={common("close")}>
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <KeyRound className="size-5" aria-hidden />
            {t("title")}
          </DialogTitle>
          <DialogDescription>
            {agentId ? t("agentBody", { id: agentId }) : t("body")}
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-1.5">
          <Label htmlFor={id}>{t("label", { name: botName })}</Label>
          <div className="flex gap-2">
            <Input
              id={id}
              readOnly
              value={secret ?? ""}
              className="font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button type="button" variant="outline" onClick={() => void copy()}>
              <Copy aria-hidden />
              {t("copy")}
            </Button>
          </div>
        </div>
        <DialogFooter>
          <Button type="button" onClick={onClose}>
            {t("done")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
