"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { MobileNav } from "./mobile-nav";
import { NAV_ITEMS } from "./nav-items";
import { NavLinks } from "./nav-links";
import { useSearchShortcut } from "./use-search-shortcut";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher, type WorkspaceOption } from "./workspace-switcher";

type Props = {
  user: { name: string; email: string };
  workspaces: WorkspaceOption[];
  currentWorkspaceId: string | null;
  canManageSettings: boolean;
  children: ReactNode;
};

const MAIN_CONTENT_ID = "main-content";

export function AppShell({
  user,
  workspaces,
  currentWorkspaceId,
  canManageSettings,
  children,
}: Props) {
  const t = useTranslations("shell");
  const common = useTranslations("common");
  const items = NAV_ITEMS.filter((i) => !i.adminOnly || canManageSettings);
  useSearchShortcut();
  return (
    <div className="flex min-h-screen">
      <a
        href={`#${MAIN_CONTENT_ID}`}
        className="sr-only rounded-md bg-background px-3 py-2 text-sm font-medium shadow-md ring-2 ring-ring focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        {t("skipToContent")}
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-sidebar text-sidebar-foreground md:flex">
        <div className="flex h-14 items-center px-4 text-lg font-semibold">{common("appName")}</div>
        <NavLinks items={items} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-2 border-b px-2 sm:px-4">
          <div className="flex min-w-0 items-center gap-1">
            <MobileNav items={items} />
            <WorkspaceSwitcher workspaces={workspaces} currentId={currentWorkspaceId} />
          </div>
          <UserMenu user={user} />
        </header>
        <main id={MAIN_CONTENT_ID} tabIndex={-1} className="min-w-0 flex-1 p-4 outline-none md:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
