"use client";

import { setPreferenceCookie } from "@/lib/browser-cookie";
import { useQueryClient } from "@tanstack/react-query";
import { Check, ChevronsUpDown } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { WORKSPACE_COOKIE } from "@/lib/workspace-cookie";

export type WorkspaceOption = { id: string; name: string; role: "admin" | "operator" | "viewer" };

export function WorkspaceSwitcher({
  workspaces,
  currentId,
}: {
  workspaces: WorkspaceOption[];
  currentId: string | null;
}) {
  const t = useTranslations("shell");
  const router = useRouter();
  const queryClient = useQueryClient();
  const current = workspaces.find((w) => w.id === currentId);

  const choose = (id: string) => {
    setPreferenceCookie(WORKSPACE_COOKIE, id);
    queryClient.clear();
    router.refresh();
  };

  if (workspaces.length <= 1) {
    return (
      <div className="truncate text-sm font-medium" aria-label={t("workspace")}>
        {current?.name}
        {current && (
          <span className="ml-2 text-xs text-muted-foreground">{t(`role_${current.role}`)}</span>
        )}
      </div>
    );
  }
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="outline"
          className="max-w-72 justify-between gap-2"
          aria-label={t("switchWorkspace")}
        >
          <span className="truncate">{current?.name}</span>
          <ChevronsUpDown className="size-4 opacity-60" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-72">
        <DropdownMenuLabel>{t("switchWorkspace")}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {workspaces.map((w) => (
          <DropdownMenuItem key={w.id} onSelect={() => choose(w.id)}>
            <Check className={w.id === currentId ? "size-4" : "size-4 opacity-0"} aria-hidden />
            <span className="flex-1 truncate">{w.name}</span>
            <span className="text-xs text-muted-foreground">{t(`role_${w.role}`)}</span>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
