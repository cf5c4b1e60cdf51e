import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { logger } from "@/lib/logger";
import { systemDb } from "@/server/db/client";
import { authSessions, type AuthSession } from "./auth-session.table";
import { clientCredentials, oidcEndpoints } from "./oidc-discovery";
import { forgetSession } from "./session-liveness";

export type ProviderTokens = {
  accessToken: string;
  refreshToken?: string | null;
  idToken?: string | null;
  expiresAt: Date;
};

/**
 * Refresh a minute before the access token expires (or after three quarters of its life for
 * short-lived tokens), so no request races its expiry and a fresh token is never "due".
 */
export function needsRefresh(expiresAtMs: number, issuedAtMs: number, now = Date.now()): boolean {
  const margin = Math.min(60_000, Math.max(0, expiresAtMs - issuedAtMs) / 4);
  return expiresAtMs - now <= margin;
}

type TokenColumn = "accessToken" | "refreshToken" | "idToken";
type StoredTokens = Pick<AuthSession, TokenColumn>;

/**
 * Provider tokens are sealed at rest (AES-256-GCM, SECRETS_ENCRYPTION_KEY, src/lib/crypto.ts):
 * a database dump, a backup or a read-only SQL foothold yields no usable refresh token. The
 * row id and the column are the additional data, so a sealed token moved to another session
 * or column does not open.
 */
function seal(sessionId: string, column: TokenColumn, value: string): string;
function seal(sessionId: string, column: TokenColumn, value: string | null): string | null;
function seal(sessionId: string, column: TokenColumn, value: string | null): string | null {
  return value === null ? null : encryptSecret(value, `auth_session:${sessionId}:${column}`);
}

function sealAll(sessionId: string, tokens: StoredTokens): StoredTokens {
  return {
    accessToken: seal(sessionId, "accessToken", tokens.accessToken),
    refreshToken: seal(sessionId, "refreshToken", tokens.refreshToken),
    idToken: seal(sessionId, "idToken", tokens.idToken),
  };
}

// encryptSecret's format (`v1.<kid>.<iv>.<tag>.<ciphertext>`). Provider tokens are JWTs
// (three parts), JWEs (five, but base64 JSON headers) or opaque strings: never this shape.
const SEALED = /^v1\.[\w-]+\.[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * The plaintext tokens of a row, and whether it was written before tokens were sealed. Such
 * a legacy row is read as it is, once: the caller seals it in place. A sealed value that
 * does not open (another key, tampering) throws SecretDecryptionError.
 */
function openAll(row: AuthSession): { tokens: StoredTokens; legacy: boolean } {
  let legacy = false;
  const open = (column: TokenColumn, value: string | null): string | null => {
    if (value === null) return null;
    if (!SEALED.test(value)) {
      legacy = true;
      return value;
    }
    return decryptSecret(value, `auth_session:${row.id}:${column}`);
  };
  const tokens = {
    accessToken: open("accessToken", row.accessToken)!,
    refreshToken: open("refreshToken", row.refreshToken),
    idToken: open("idToken", row.idToken),
  };
  return { tokens, legacy };
}

export async function createAuthSession(userId: string, tokens: ProviderTokens): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await systemDb()
    .insert(authSessions)
    .values({
      id,
      userId,
      ...sealAll(id, {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? null,
        idToken: tokens.idToken ?? null,
      }),
      accessTokenExpiresAt: tokens.expiresAt,
    });
  return id;
}

class RefreshError extends Error {
  constructor(
    message: string,
    readonly final: boolean,
  ) {
    super(message);
  }
}

async function requestRefresh(refreshToken: string): Promise<ProviderTokens> {
  const { token_endpoint } = await oidcEndpoints();
  const { clientId, clientSecret } = clientCredentials();
  const res = await fetch(token_endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== "string") {
    // 400/401 mean the grant is gone (revoked, expired, SSO logout); 5xx is the IdP's trouble.
    throw new RefreshError(
      `refresh rejected: ${res.status} ${String(body.error ?? "")}`,
      res.status === 400 || res.status === 401,
    );
  }
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : refreshToken,
    idToken: typeof body.id_token === "string" ? body.id_token : undefined,
    expiresAt: new Date(Date.now() + Number(body.expires_in ?? 300) * 1000),
  };
}

/**
 * Returns the session's access-token expiry, refreshing first when it is close. The row lock
 * makes concurrent requests of one session wait for a single refresh instead of each
 * spending the (rotating) refresh token. `null` = the session is gone or refresh failed:
 * the caller signs the user out.
 */
export async function ensureFreshTokens(sessionId: string): Promise<Date | null> {
  return systemDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(authSessions)
      .where(eq(authSessions.id, sessionId))
      .for("update");
    if (!row) return null;
    let stored: StoredTokens;
    try {
      const opened = openAll(row);
      stored = opened.tokens;
      if (opened.legacy) {
        // Written before tokens were sealed: sealed now, in the same locked transaction.
        // updated_at stays: it dates the access token (needsRefresh) and the last activity.
        await tx
          .update(authSessions)
          .set({ ...sealAll(sessionId, stored), updatedAt: row.updatedAt })
          .where(eq(authSessions.id, sessionId));
      }
    } catch (err) {
      // Sealed under a key no longer configured (or altered): the tokens are lost, and so is
      // the session; the user signs in again.
      logger.warn({ err: String(err), userId: row.userId }, "stored provider tokens unreadable");
      await tx.delete(authSessions).where(eq(authSessions.id, sessionId));
      return null;
    }
    if (!needsRefresh(row.accessTokenExpiresAt.getTime(), row.updatedAt.getTime())) {
      return row.accessTokenExpiresAt;
    }
    if (!stored.refreshToken) {
      await tx.delete(authSessions).where(eq(authSessions.id, sessionId));
      return null;
    }
    try {
      const next = await requestRefresh(stored.refreshToken);
      await tx
        .update(authSessions)
        .set({
          ...sealAll(sessionId, {
            accessToken: next.accessToken,
            refreshToken: next.refreshToken ?? stored.refreshToken,
            idToken: next.idToken ?? stored.idToken,
          }),
          accessTokenExpiresAt: next.expiresAt,
          updatedAt: new Date(),
        })
        .where(eq(authSessions.id, sessionId));
      return next.expiresAt;
    } catch (err) {
      const final = err instanceof RefreshError && err.final;
      logger.warn(
        { err: String(err), userId: row.userId, final },
        final
          ? "refresh token rejected; signing the session out"
          : "token refresh failed; will retry",
      );
      if (!final) {
        // The identity provider is slow or down: keep the session, the next request retries.
        return row.accessTokenExpiresAt;
      }
      await tx.delete(authSessions).where(eq(authSessions.id, sessionId));
      return null;
    }
  });
}

/** Deletes the session's tokens and returns the ID token for the end-session request. */
export async function endAuthSession(
  sessionId: string,
): Promise<{ idToken: string | null; userId: string } | null> {
  const [row] = await systemDb()
    .delete(authSessions)
    .where(eq(authSessions.id, sessionId))
    .returning();
  forgetSession(sessionId);
  if (!row) return null;
  let idToken: string | null = null;
  try {
    idToken = openAll(row).tokens.idToken;
  } catch (err) {
    // The session is gone either way; Keycloak's end-session page then just asks to confirm.
    logger.warn({ err: String(err), userId: row.userId }, "stored ID token unreadable");
  }
  return { idToken, userId: row.userId };
}
