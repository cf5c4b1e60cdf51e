"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import { NAV_ITEMS } from "./nav-items";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher, type WorkspaceOption } from "./workspace-switcher";

type Props = {
  user: { name: string; email: string };
  workspaces: WorkspaceOption[];
  currentWorkspaceId: string | null;
  canManageSettings: boolean;
  children: ReactNode;
};

export function AppShell({
  user,
  workspaces,
  currentWorkspaceId,
  canManageSettings,
  children,
}: Props) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const items = NAV_ITEMS.filter((i) => !i.adminOnly || canManageSettings);
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-sidebar text-sidebar-foreground md:flex">
        <div className="flex h-14 items-center px-4 text-lg font-semibold">SalesTrack</div>
        <nav aria-label={t("mainNavigation")} className="flex flex-1 flex-col gap-1 px-2">
          {items.map(({ href, key, icon: Icon }) => {
            const active = pathname === href || pathname.startsWith(`${href}/`);
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 rounded-md px-3 py-2 text-sm outline-none hover:bg-sidebar-accent focus-visible:ring-2 focus-visible:ring-ring",
                  active && "bg-sidebar-accent font-medium",
                )}
              >
                <Icon className="size-4" aria-hidden />
                {t(key)}
              </Link>
            );
          })}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-2 border-b px-4">
          <WorkspaceSwitcher workspaces={workspaces} currentId={currentWorkspaceId} />
          <nav aria-label={t("mainNavigation")} className="flex gap-1 overflow-x-auto md:hidden">
            {items.map(({ href, key, icon: Icon }) => (
              <Link
                key={href}
                href={href}
                className="rounded-md p-2 hover:bg-accent"
                title={t(key)}
              >
                <Icon className="size-4" aria-label={t(key)} />
              </Link>
            ))}
          </nav>
          <UserMenu user={user} />
        </header>
        <main className="flex-1 p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}
