import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { WORKSPACE_COOKIE, readWorkspaceCookie } from "@/lib/workspace-cookie";
import { listMyWorkspaces } from "@/modules/workspaces/workspaces.service";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/**
 * For server components: the signed-in user, their workspaces and the current one (the
 * cookie's choice when they are a member of it, else their first). Redirects to sign-in.
 * Cached per request so layout and page share one lookup.
 */
export const getCurrentAccess = cache(async () => {
  const session = await getServerSession(authOptions());
  // A session whose provider tokens could not be refreshed is over: say so on sign-in.
  if (session?.error) redirect("/signin?error=SessionEnded");
  if (!session?.user?.id) redirect("/signin");
  const rows = await listMyWorkspaces({ userId: session.user.id });
  const wanted = readWorkspaceCookie(
    `${WORKSPACE_COOKIE}=${(await cookies()).get(WORKSPACE_COOKIE)?.value ?? ""}`,
  );
  const current = rows.find((r) => r.workspace.id === wanted) ?? rows[0] ?? null;
  return { session, workspaces: rows, current };
});
