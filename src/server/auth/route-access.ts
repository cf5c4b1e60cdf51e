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
  const hint = req.headers.get(WORKSPACE_HEADER) ?? readWorkspaceCookie(req.headers.get("cookie"));
  const access = await resolveWorkspaceAccess({ userId: session.user.id, workspaceId: hint });
  if (!access) throw new AppError("FORBIDDEN", "auth.notMember");
  if (!can(access.role, permission))
    throw new AppError("FORBIDDEN", "auth.roleForbidden", {
      params: { role: access.role, permission },
    });
  return { ...access, userId: session.user.id };
}
