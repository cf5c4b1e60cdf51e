import type { NextAuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { headers } from "next/headers";
import { env } from "@/env";
import { logger } from "@/lib/logger";
import { requestMetaFromHeaders, type RequestMeta } from "@/lib/request-meta";
import { provisionUser } from "./provision";
import { decodeJwtPayload, identityFromClaims } from "./roles";
import { forgetSession, isSessionAlive } from "./session-liveness";
import { createAuthSession, ensureFreshTokens, needsRefresh } from "./token-store";

const SESSION_MAX_AGE_S = 10 * 60 * 60;

async function currentRequestMeta(): Promise<RequestMeta | null> {
  try {
    return requestMetaFromHeaders(await headers());
  } catch {
    return null;
  }
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env.NEXTAUTH_SECRET,
    providers: [
      KeycloakProvider({
        clientId: env.AUTH_KEYCLOAK_ID,
        clientSecret: env.AUTH_KEYCLOAK_SECRET ?? "",
        issuer: env.AUTH_KEYCLOAK_ISSUER,
        checks: ["pkce", "state"],
      }),
    ],
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async jwt({ token, account, profile }) {
        if (account?.access_token && profile) {
          // First sign-in of this session: provision, then park the tokens server-side.
          const claims = decodeJwtPayload(account.access_token);
          const identity = identityFromClaims(
            { ...(profile as object), ...claims },
            env.AUTH_KEYCLOAK_ID,
            {
              admin: env.AUTH_ROLE_ADMIN,
              operator: env.AUTH_ROLE_OPERATOR,
              viewer: env.AUTH_ROLE_VIEWER,
            },
          );
          const p = profile as {
            sub?: string;
            email?: string;
            name?: string;
            preferred_username?: string;
            email_verified?: boolean;
          };
          const user = await provisionUser(
            {
              sub: p.sub ?? token.sub ?? "",
              email: p.email ?? null,
              name: p.name ?? p.preferred_username ?? null,
            },
            identity,
            await currentRequestMeta(),
          );
          const expiresAt = new Date(
            (account.expires_at ?? Math.floor(Date.now() / 1000) + 300) * 1000,
          );
          const sid = await createAuthSession(user.id, {
            accessToken: account.access_token,
            refreshToken: account.refresh_token,
            idToken: account.id_token,
            expiresAt,
          });
          return {
            name: user.name,
            email: user.email,
            sub: token.sub,
            uid: user.id,
            // Invitations are bound to an email address: one the IdP has not verified does
            // not prove the invitee (absent = the IdP does not say, as before).
            emv: typeof p.email_verified === "boolean" ? p.email_verified : undefined,
            sid,
            ate: expiresAt.getTime(),
            ati: Date.now(),
          };
        }
        if (token.error) return token;
        // Every resolution of the cookie (tRPC context, route handlers, server components,
        // /api/auth/session) passes here: a cookie whose server row is gone — signed out,
        // expired, refresh rejected — is over, however valid its signature.
        if (!token.sid || !(await isSessionAlive(token.sid))) {
          return { ...token, error: "SessionEnded" as const };
        }
        if (!needsRefresh(token.ate ?? 0, token.ati ?? 0)) return token;
        const fresh = await ensureFreshTokens(token.sid);
        if (!fresh) forgetSession(token.sid);
        return fresh
          ? {
              ...token,
              ate: fresh.getTime(),
              ati: fresh.getTime() === token.ate ? token.ati : Date.now(),
            }
          : { ...token, error: "SessionEnded" as const };
      },
      session({ session, token }) {
        return {
          expires: session.expires,
          user: {
            id: token.uid ?? "",
            name: token.name ?? null,
            email: token.email ?? null,
            ...(token.emv === undefined ? {} : { emailVerified: token.emv }),
          },
          ...(token.error ? { error: token.error } : {}),
        };
      },
    },
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, "next-auth error"),
      warn: (code) => logger.warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
}
