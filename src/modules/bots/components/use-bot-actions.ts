"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc/client";
import { useErrorMessage } from "@/lib/trpc/error-message";
import type { BotView } from "../bots.schema";

/** A secret to show once: a new webhook bot's, or any rotated one. */
export type ShownSecret = { value: string; botName: string; agentId: string | null };

export const shownSecretOf = (bot: Pick<BotView, "id" | "name" | "kind">, value: string) => ({
  value,
  botName: bot.name,
  agentId: bot.kind === "agent" ? bot.id : null,
});

/**
 * Pause, resume and secret rotation, shared by the Bots page and a bot's page: each refreshes
 * every bots query and calls `onDone` (closing a dialog); a rotated secret waits in `secret`.
 */
export function useBotActions(onDone: () => void) {
  const t = useTranslations("bots");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { errorMessage } = useErrorMessage();
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.bots.pathKey() }),
    [queryClient, trpc],
  );
  const onError = (err: unknown) => toast.error(errorMessage(err));
  const done = (message: string) => () => (toast.success(message), onDone(), refresh());
  const pause = useMutation(
    trpc.bots.pause.mutationOptions({ onSuccess: done(t("paused")), onError }),
  );
  const resume = useMutation(
    trpc.bots.resume.mutationOptions({ onSuccess: done(t("resumed")), onError }),
  );
  const rotate = useMutation(
    trpc.bots.rotateSecret.mutationOptions({
      onSuccess: ({ bot, secret: value }) => {
        onDone();
        refresh();
        setSecret(shownSecretOf(bot, value));
      },
      onError,
    }),
  );
  return { pause, resume, rotate, secret, setSecret, refresh, onError, done };
}
