import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { getCurrentAccess } from "@/server/auth/current-access";
import { can } from "@/server/auth/permissions";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { session, workspaces, current } = await getCurrentAccess();
  return (
    <AppShell
      user={{
        name: session.user.name ?? session.user.email ?? "",
        email: session.user.email ?? "",
      }}
      workspaces={workspaces.map((w) => ({
        id: w.workspace.id,
        name: w.workspace.name,
        role: w.role,
      }))}
      currentWorkspaceId={current?.workspace.id ?? null}
      canManageSettings={current ? can(current.role, "settings:manage") : false}
    >
      {children}
    </AppShell>
  );
}
