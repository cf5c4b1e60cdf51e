"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { setPreferenceCookie } from "@/lib/browser-cookie";
import { WORKSPACE_COOKIE } from "@/lib/workspace-cookie";
import { CreateWorkspaceDialog } from "./create-workspace-dialog";

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
  const [creating, setCreating] = useState(false);
  const current = workspaces.find((w) => w.id === currentId);

  const choose = (id: string) => {
    setPreferenceCookie(WORKSPACE_COOKIE, id);
    // Everything cached belongs to the previous workspace.
    queryClient.clear();
    router.refresh();
  };

  return (
    <>
      <DropdownMenu>
        {/* Named by its text, not aria-label: the spoken name holds what is seen. */}
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="max-w-80 min-w-0 justify-between gap-2 px-2 sm:px-3">
            <span className="sr-only">{t("switchWorkspace")}:</span>
            <span className="truncate font-medium" data-testid="current-workspace">
              {current?.name}
            </span>
            {current && (
              <span className="hidden text-xs text-muted-foreground sm:inline">
                {t(`role_${current.role}`)}
              </span>
            )}
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
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden /> {t("newWorkspace")}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateWorkspaceDialog open={creating} onOpenChange={setCreating} onCreated={choose} />
    </>
  );
}
