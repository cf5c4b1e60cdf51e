import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { AppError } from "@/lib/errors";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { readWorkspaceCookie, WORKSPACE_HEADER } from "@/lib/workspace-cookie";
import { getSession } from "@/server/auth/session";
import { registerTrpcProcedures } from "@/server/http/metrics";
import {
  bufferWithinLimit,
  chargeMutations,
  mutationLimitError,
  TRPC_MAX_BATCH,
  TRPC_MAX_BODY_BYTES,
} from "@/server/http/trpc-limits";
import { appRouter } from "@/server/root";

// Metrics label a call by procedure name only when the name is one of these.
registerTrpcProcedures(Object.keys(appRouter._def.procedures));

async function handler(incoming: Request) {
  const meta = requestMetaFromHeaders(incoming.headers);
  const { req, tooLarge } = await bufferWithinLimit(incoming);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    // Refusals are thrown here so they leave in tRPC's own error shape, one per call.
    createContext: async ({ info, resHeaders }) => {
      if (tooLarge) {
        const megabytes = TRPC_MAX_BODY_BYTES / (1024 * 1024);
        const cause = new AppError("PAYLOAD_TOO_LARGE", "request.trpcTooLarge", {
          params: { megabytes },
        });
        throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
      }
      const session = await getSession();
      const mutations = info.calls.filter((c) => c.procedure?._def.type === "mutation").length;
      if (mutations > 0) {
        const verdict = chargeMutations(session?.user?.id ?? `ip:${meta.ip}`, mutations);
        if (!verdict.ok) {
          resHeaders.set("retry-after", String(verdict.retryAfterSeconds));
          const cause = mutationLimitError(verdict.retryAfterSeconds);
          throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
        }
      }
      const named = req.headers.get(WORKSPACE_HEADER);
      return {
        session,
        meta,
        workspaceHint: named ?? readWorkspaceCookie(req.headers.get("cookie")),
        workspaceHintIsCookie: named === null,
      };
    },
  });
}

export { handler as GET, handler as POST };
