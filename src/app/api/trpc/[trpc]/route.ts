import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { readWorkspaceCookie, WORKSPACE_HEADER } from "@/lib/workspace-cookie";
import { getSession } from "@/server/auth/session";
import { appRouter } from "@/server/root";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => ({
      session: await getSession(),
      meta: requestMetaFromHeaders(req.headers),
      workspaceHint:
        req.headers.get(WORKSPACE_HEADER) ?? readWorkspaceCookie(req.headers.get("cookie")),
    }),
  });
}

export { handler as GET, handler as POST };
