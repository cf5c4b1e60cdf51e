import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/env";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { recordSignOut } from "@/server/auth/sign-out";

/**
 * Signing out of the app also ends the Keycloak session (RP-initiated logout with
 * `id_token_hint`), so the next sign-in asks for the password again. POST only, same origin.
 */
export async function POST(req: NextRequest) {
  const appUrl = new URL(env.NEXTAUTH_URL ?? req.nextUrl.origin);
  const origin = req.headers.get("origin");
  if (origin && origin !== appUrl.origin)
    return new NextResponse("Cross-origin sign-out refused", { status: 403 });

  const token = await getToken({ req, secret: env.NEXTAUTH_SECRET });
  const target = await recordSignOut({
    sessionId: token?.sid ?? null,
    meta: requestMetaFromHeaders(req.headers),
  });

  const res = NextResponse.redirect(target ?? new URL("/signin", appUrl), 303);
  for (const c of req.cookies.getAll()) {
    if (
      /^(__Secure-|__Host-)?next-auth\.(session-token|csrf-token|callback-url|pkce|state)/.test(
        c.name,
      )
    ) {
      res.cookies.set(c.name, "", { maxAge: 0, path: "/" });
    }
  }
  return res;
}
