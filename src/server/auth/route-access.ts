import { AppError } from "@/lib/errors";
import { readWorkspaceCookie, WORKSPACE_HEADER } from "@/lib/workspace-cookie";
import {
  resolveWorkspaceAccess,
  type WorkspaceAccess,
} from "@/modules/workspaces/workspaces.service";
import { can, type Permission } from "./permissions";
import { getSession } from "./session";

/**
 * For browser-facing route handlers (uploads, downloads): the same rules as the tRPC
 * procedure builders — signed in (401), member of the current workspace (403), permission.
 */
export async function requireRouteAccess(
  req: Request,
  permission: Permission,
): Promise<WorkspaceAccess & { userId: string }> {
  const session = await getSession();
  if (!session) throw new AppError("UNAUTHORIZED", "auth.signIn");
  const named = req.headers.get(WORKSPACE_HEADER);
  const access = await resolveWorkspaceAccess({
    userId: session.user.id,
    workspaceId: named ?? readWorkspaceCookie(req.headers.get("cookie")),
    orFirst: named === null, // the cookie's choice, as the pages read it
  });
  if (!access) throw new AppError("FORBIDDEN", "auth.notMember");
  if (!can(access.role, permission))
    throw new AppError("FORBIDDEN", "auth.roleForbidden", {
      params: { role: access.role, permission },
    });
  return { ...access, userId: session.user.id };
}
