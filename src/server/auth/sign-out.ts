import { eq } from "drizzle-orm";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAudit } from "@/modules/audit/audit.service";
import { memberships } from "@/modules/workspaces/workspaces.table";
import { systemDb } from "@/server/db/client";
import { clientCredentials, oidcEndpoints } from "./oidc-discovery";
import { endAuthSession } from "./token-store";

/**
 * Drops the session's provider tokens, audits the sign-out in the user's workspaces and
 * returns the identity provider's end-session URL (or null when it has none).
 */
export async function recordSignOut({
  sessionId,
  meta,
}: {
  sessionId: string | null;
  meta: RequestMeta;
}) {
  const ended = sessionId ? await endAuthSession(sessionId) : null;
  if (ended) {
    await systemDb().transaction(async (tx) => {
      const mine = await tx.select().from(memberships).where(eq(memberships.userId, ended.userId));
      await recordAudit(
        tx,
        meta,
        mine.map((m) => ({
          workspaceId: m.workspaceId,
          actorUserId: ended.userId,
          action: "auth.sign_out",
        })),
      );
    });
  }
  try {
    const { end_session_endpoint } = await oidcEndpoints();
    if (!end_session_endpoint) return null;
    const url = new URL(end_session_endpoint);
    const appUrl = env.NEXTAUTH_URL ?? "http://localhost:3000";
    url.searchParams.set(
      "post_logout_redirect_uri",
      new URL("/signin?signedOut=1", appUrl).toString(),
    );
    url.searchParams.set("client_id", clientCredentials().clientId);
    if (ended?.idToken) url.searchParams.set("id_token_hint", ended.idToken);
    return url;
  } catch (err) {
    logger.warn({ err: String(err) }, "end-session endpoint unavailable; signed out locally only");
    return null;
  }
}
