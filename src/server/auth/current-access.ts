import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { REQUEST_PATH_HEADER } from "@/lib/request-path";
import { WORKSPACE_COOKIE, readWorkspaceCookie } from "@/lib/workspace-cookie";
import { listMyWorkspaces } from "@/modules/workspaces/workspaces.service";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";

/** The signed-in user, their workspaces and the current one; or why nobody is signed in. */
const resolveAccess = cache(async () => {
  const session = await getServerSession(authOptions());
  // A session whose provider tokens could not be refreshed is over: say so on sign-in.
  if (session?.error) return { signedOut: "SessionEnded" as const };
  if (!session?.user?.id) return { signedOut: "NoSession" as const };
  const rows = await listMyWorkspaces({ userId: session.user.id });
  const wanted = readWorkspaceCookie(
    `${WORKSPACE_COOKIE}=${(await cookies()).get(WORKSPACE_COOKIE)?.value ?? ""}`,
  );
  const current = rows.find((r) => r.workspace.id === wanted) ?? rows[0] ?? null;
  return { signedOut: null, session, workspaces: rows, current };
});

/** Sign-in, then back to the page that was asked for (a deep link survives signing in). */
async function signInPath(reason: "SessionEnded" | "NoSession") {
  const params = new URLSearchParams();
  if (reason === "SessionEnded") params.set("error", reason);
  const path = (await headers()).get(REQUEST_PATH_HEADER);
  if (path) params.set("callbackUrl", path);
  const query = params.toString();
  return query ? `/signin?${query}` : "/signin";
}

/**
 * For server components: the signed-in user, their workspaces and the current one (the
 * cookie's choice when they are a member of it, else their first). Redirects to sign-in.
 * Cached per request so layout and page share one lookup.
 */
export const getCurrentAccess = cache(async () => {
  const access = await resolveAccess();
  if (access.signedOut) redirect(await signInPath(access.signedOut));
  const { session, workspaces, current } = access;
  return { session, workspaces, current };
});

/** The current workspace's time zone, or null when nobody is signed in: dates are shown in it. */
export async function currentTimeZone(): Promise<string | null> {
  const access = await resolveAccess();
  return access.signedOut ? null : (access.current?.workspace.timeZone ?? null);
}
