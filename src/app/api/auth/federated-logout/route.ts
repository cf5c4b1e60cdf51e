import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/env";
import { requestMetaFromHeaders } from "@/lib/request-meta";
import { recordSignOut } from "@/server/auth/sign-out";
import { crossSiteResponse, isCrossSiteRequest } from "@/server/http/same-origin";
import { WORKSPACE_COOKIE } from "@/lib/workspace-cookie";

/**
 * Signing out of the app also ends the Keycloak session (RP-initiated logout with
 * `id_token_hint`), so the next sign-in asks for the password again. POST only, same origin.
 */
export async function POST(req: NextRequest) {
  if (isCrossSiteRequest(req)) return crossSiteResponse(req);
  const appUrl = new URL(env.NEXTAUTH_URL ?? req.nextUrl.origin);

  // Read the session cookie the browser actually holds: behind a TLS proxy with a plain-http
  // NEXTAUTH_URL, next-auth's guess of the name would miss it and the session would survive.
  const secureCookie = req.cookies
    .getAll()
    .some((c) => c.name.startsWith("__Secure-next-auth.session-token"));
  const token = await getToken({ req, secret: env.NEXTAUTH_SECRET, secureCookie });
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
      // Browsers ignore a Set-Cookie for a __Secure-/__Host- name that lacks Secure: without
      // it the cookie would stay (its session is ended server-side regardless).
      res.cookies.set(c.name, "", {
        maxAge: 0,
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: /^__(Secure|Host)-/.test(c.name),
      });
    }
  }
  // The next person to sign in on this browser starts in their own first workspace.
  if (req.cookies.has(WORKSPACE_COOKIE))
    res.cookies.set(WORKSPACE_COOKIE, "", { maxAge: 0, path: "/" });
  return res;
}
